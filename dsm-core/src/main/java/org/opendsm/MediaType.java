package org.opendsm;

import java.util.Locale;
import java.util.Objects;

/** A media (MIME) type such as {@code application/pdf}. */
public record MediaType(String value) {
  public static final MediaType PDF = new MediaType("application/pdf");
  public static final MediaType XML = new MediaType("text/xml");
  public static final MediaType PNG = new MediaType("image/png");
  public static final MediaType JPEG = new MediaType("image/jpeg");
  public static final MediaType PKCS7 = new MediaType("application/pkcs7-signature");
  public static final MediaType PKCS7_MIME = new MediaType("application/pkcs7-mime");
  public static final MediaType TEXT = new MediaType("text/plain");
  public static final MediaType JSON = new MediaType("application/json");
  public static final MediaType ZIP = new MediaType("application/zip");
  public static final MediaType OCTET_STREAM = new MediaType("application/octet-stream");
  /** An ASiC-E container (.asice). */
  public static final MediaType ASIC_E = new MediaType("application/vnd.etsi.asic-e+zip");
  /** An ASiC-S container (.asics). */
  public static final MediaType ASIC_S = new MediaType("application/vnd.etsi.asic-s+zip");

  public MediaType {
    Objects.requireNonNull(value, "value");
    value = value.trim().toLowerCase(Locale.ROOT);
    if (!value.matches("[a-z0-9.+-]+/[a-z0-9.+-]+")) {
      throw new IllegalArgumentException("Not a media type: '" + value + "' (expected type/subtype)");
    }
  }

  /** Whether content of this type could be a signature container (CMS or unknown bytes). */
  public boolean mayBeSignature() {
    return equals(OCTET_STREAM) || equals(PKCS7) || equals(PKCS7_MIME) || isAsic();
  }

  /** Whether this is an ASiC container (E or S). */
  public boolean isAsic() {
    return equals(ASIC_E) || equals(ASIC_S);
  }

  /** Guesses from a file name's extension; {@link #OCTET_STREAM} when unknown. */
  public static MediaType fromFileName(String name) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".pdf")) {
      return PDF;
    }
    if (n.endsWith(".xml")) {
      return XML;
    }
    if (n.endsWith(".png")) {
      return PNG;
    }
    if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
      return JPEG;
    }
    if (n.endsWith(".txt")) {
      return TEXT;
    }
    if (n.endsWith(".json")) {
      return JSON;
    }
    if (n.endsWith(".zip")) {
      return ZIP;
    }
    if (n.endsWith(".p7s")) {
      return PKCS7;
    }
    if (n.endsWith(".p7m")) {
      return PKCS7_MIME;
    }
    if (n.endsWith(".asice") || n.endsWith(".sce")) {
      return ASIC_E;
    }
    if (n.endsWith(".asics") || n.endsWith(".scs")) {
      return ASIC_S;
    }
    return OCTET_STREAM;
  }

  @Override
  public String toString() {
    return value;
  }
}
