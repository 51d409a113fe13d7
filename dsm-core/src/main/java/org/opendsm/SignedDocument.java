package org.opendsm;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The output of signing or extension: the signed content plus what we know about it.
 *
 * @param document the signed file (a PDF, a .p7m/.p7s, an XML document)
 * @param format its AdES family
 * @param level the baseline level it was built to
 */
public record SignedDocument(Document document, SignatureFormat format, SignatureLevel level) {
  public SignedDocument {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(level, "level");
  }

  /** The signed content in memory. */
  public byte[] bytes() {
    return document.readAllBytes();
  }

  /** Writes the signed content to a file (atomically). */
  public void writeTo(Path target) {
    document.writeTo(target);
  }
}
