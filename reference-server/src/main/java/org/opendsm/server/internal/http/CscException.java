package org.opendsm.server.internal.http;

/** A request the API refuses: HTTP status plus the CSC {@code error} and {@code error_description}. */
public final class CscException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String error;

  public CscException(int status, String error, String description) {
    super(description);
    this.status = status;
    this.error = error;
  }

  public static CscException invalidRequest(String description) {
    return new CscException(400, "invalid_request", description);
  }

  public static CscException unauthorized(String description) {
    return new CscException(401, "invalid_token", description);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }
}
