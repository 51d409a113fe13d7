package org.opendsm;

/** The time-stamping authority could not be reached or returned an unusable token. */
public class TimestampException extends DsmException {
  private static final long serialVersionUID = 1L;

  public TimestampException(String message) {
    super(message);
  }

  public TimestampException(String message, Throwable cause) {
    super(message, cause);
  }
}
