package org.opendsm.cli;

/** Secrets the commands read from environment variables the user names, never from the command line. */
final class Environment {
  private Environment() {}

  /**
   * The value of {@code variable}; bad input (exit 2) when it is not set.
   *
   * @param what what the variable holds, for the message: "the key store password"
   */
  static String require(String variable, String what) {
    String value = System.getenv(variable);
    if (value == null) {
      throw new IllegalArgumentException("Environment variable " + variable + " is not set; export it with " + what);
    }
    return value;
  }
}
