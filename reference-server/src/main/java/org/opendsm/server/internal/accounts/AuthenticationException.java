package org.opendsm.server.internal.accounts;

/**
 * Two-factor authentication failed. The message is the only thing the caller learns: the same
 * one for an unknown user, a wrong password and a wrong or replayed code.
 */
public final class AuthenticationException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean locked;

  private AuthenticationException(String message, boolean locked) {
    super(message);
    this.locked = locked;
  }

  public static AuthenticationException failed() {
    return new AuthenticationException("Invalid password or one-time code", false);
  }

  public static AuthenticationException locked() {
    return new AuthenticationException("Credential locked: too many failed attempts, try again later", true);
  }

  public boolean isLocked() {
    return locked;
  }
}
