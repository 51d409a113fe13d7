package org.opendsm.client;

import org.opendsm.Secret;

/**
 * Asks the user for the two factors of one authorisation (explicit mode): the signing password
 * and the current code of the authenticator app. Called once per authorisation, so a batch larger
 * than the credential's {@code multisign} asks more than once, and says so.
 */
@FunctionalInterface
public interface AuthorizationProvider {
  Factors factors(Request request);

  /**
   * What the user is asked to approve.
   *
   * @param credentialId the credential
   * @param documents how many signatures this authorisation covers
   * @param interaction 1-based number of this interaction
   * @param interactions how many are needed for the whole batch
   */
  record Request(String credentialId, int documents, int interaction, int interactions) {}

  /** The two factors; wiped by the signer after use. */
  record Factors(Secret password, Secret otp) {
    @Override
    public String toString() {
      return "Factors[redacted]";
    }
  }

  /** Prompts on the terminal (no echo for the password). */
  static AuthorizationProvider terminal() {
    return request -> {
      java.io.Console console = System.console();
      if (console == null) {
        throw new IllegalStateException("No terminal to ask for the signing password and one-time code");
      }
      String step = request.interactions() > 1
          ? " (authorisation " + request.interaction() + " of " + request.interactions() + ")" : "";
      console.printf("Sign %d document(s) with credential %s%s%n", request.documents(), request.credentialId(), step);
      char[] password = console.readPassword("Signing password: ");
      String otp = console.readLine("One-time code: ");
      try {
        return new Factors(Secret.of(password), Secret.of(otp == null ? "" : otp.trim()));
      } finally {
        java.util.Arrays.fill(password, '\0');
      }
    };
  }
}
