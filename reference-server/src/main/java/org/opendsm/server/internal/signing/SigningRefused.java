package org.opendsm.server.internal.signing;

/**
 * A signing request the CSC API refuses, with the CSC error code and a description safe to show
 * to the client (HTTP 400).
 */
public final class SigningRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String error;

  private SigningRefused(String error, String description) {
    super(description);
    this.error = error;
  }

  public static SigningRefused invalidRequest(String description) {
    return new SigningRefused("invalid_request", description);
  }

  /** An unknown, expired, spent or foreign SAD. */
  public static SigningRefused invalidSad(String description) {
    return new SigningRefused("invalid_request", description);
  }

  /** The CSC error code, e.g. {@code invalid_request}. */
  public String error() {
    return error;
  }
}
