package org.opendsm.cades;

import java.util.Objects;

/**
 * The content-hints attribute (RFC 2634 2.9): what the signed content is, for a reader that
 * receives it without context — a description and the content type's object identifier.
 *
 * @param description e.g. {@code "Scanned identity card, front"}
 * @param contentType the content's type, {@code 1.2.840.113549.1.7.1} (id-data) for plain bytes
 */
public record ContentHints(String description, String contentType) {
  /** id-data: plain bytes. */
  public static final String DATA = "1.2.840.113549.1.7.1";

  public ContentHints {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(contentType, "contentType");
    if (description.isBlank()) {
      throw new IllegalArgumentException("Content hints need a description");
    }
    if (!contentType.matches("[0-2](\\.(0|[1-9][0-9]*))+")) {
      throw new IllegalArgumentException("Not an object identifier: '" + contentType + "'");
    }
  }

  /** Hints for plain bytes (id-data). */
  public static ContentHints of(String description) {
    return new ContentHints(description, DATA);
  }
}
