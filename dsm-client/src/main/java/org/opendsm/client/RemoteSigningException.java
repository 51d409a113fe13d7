package org.opendsm.client;

import org.opendsm.SigningException;

/**
 * The signing service refused or failed a call: the CSC {@code error} code, its description and
 * the HTTP status (0 when the service could not be reached at all).
 */
public class RemoteSigningException extends SigningException {
  private static final long serialVersionUID = 1L;
  private final String error;
  private final int status;

  public RemoteSigningException(String error, String description, int status, Throwable cause) {
    super(description, cause);
    this.error = error;
    this.status = status;
  }

  /** The CSC error code, e.g. {@code invalid_request}, {@code invalid_token}. */
  public String error() {
    return error;
  }

  public int status() {
    return status;
  }
}
