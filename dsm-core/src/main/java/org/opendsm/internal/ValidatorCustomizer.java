package org.opendsm.internal;

import eu.europa.esig.dss.validation.SignedDocumentValidator;

/**
 * Lets a format module tune the DSS validator it owns, and read what DSS does not report, (found through {@link java.util.ServiceLoader}),
 * e.g. PAdES turns off page rendering for visual-change detection and keeps PDFs in temp files.
 */
public interface ValidatorCustomizer {
  void customize(SignedDocumentValidator validator);

  /** Gives {@code validator} the password of an encrypted document, if its format has such a thing. */
  default void documentPassword(SignedDocumentValidator validator, char[] password) {}

  /**
   * The custom signed attributes ({@link org.opendsm.CustomAttribute}) of {@code signature} if it is
   * of this module's format; empty otherwise.
   */
  default java.util.List<org.opendsm.CustomAttribute> customAttributes(
      eu.europa.esig.dss.spi.signature.AdvancedSignature signature) {
    return java.util.List.of();
  }
}
