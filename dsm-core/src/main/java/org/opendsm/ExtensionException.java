package org.opendsm;

/** A signature could not be extended to the requested level (missing timestamp source, unreachable revocation data, unsupported input). */
public class ExtensionException extends DsmException {
  private static final long serialVersionUID = 1L;

  public ExtensionException(String message) {
    super(message);
  }

  public ExtensionException(String message, Throwable cause) {
    super(message, cause);
  }
}
