package org.opendsm;

/** The input is not a document OpenDSM can read, or not the document a {@link PreparedSignature} was made for. */
public class InvalidDocumentException extends DsmException {
  private static final long serialVersionUID = 1L;

  public InvalidDocumentException(String message) {
    super(message);
  }

  public InvalidDocumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
