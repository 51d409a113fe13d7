package org.opendsm;

/** The key side failed: key store, token or remote signer. */
public class SigningException extends DsmException {
  private static final long serialVersionUID = 1L;

  public SigningException(String message) {
    super(message);
  }

  public SigningException(String message, Throwable cause) {
    super(message, cause);
  }
}
