package org.opendsm.cli;

/** Exit codes shared by every subcommand. */
final class ExitCodes {
  /** Done; for verify: every signature is TOTAL_PASSED. */
  static final int OK = 0;
  /** For verify: a signature is not TOTAL_PASSED, or there is none; otherwise: the operation failed. */
  static final int FAILED = 1;
  /** Bad input: unreadable or malformed document, wrong option. */
  static final int BAD_INPUT = 2;

  private ExitCodes() {}
}
