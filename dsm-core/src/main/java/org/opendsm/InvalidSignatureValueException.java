package org.opendsm;

/** A signature value does not verify against the signer's certificate. The document was not modified. */
public class InvalidSignatureValueException extends SigningException {
  private static final long serialVersionUID = 1L;

  public InvalidSignatureValueException(String message) {
    super(message);
  }

  public InvalidSignatureValueException(String message, Throwable cause) {
    super(message, cause);
  }
}
