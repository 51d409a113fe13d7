package org.opendsm;

/** Where the signature sits relative to the signed content. */
public enum SignaturePackaging {
  /** The signature is inside the document (PAdES, XAdES enveloped). */
  ENVELOPED,
  /** The content is inside the signature (CAdES attached, XAdES enveloping). */
  ENVELOPING,
  /** The signature refers to content kept apart (CAdES .p7s, XAdES detached). */
  DETACHED;

  public static SignaturePackaging parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Unknown packaging '" + text + "': use enveloped, enveloping or detached", e);
    }
  }
}
