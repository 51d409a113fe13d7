package org.opendsm;

/** The main status of a validation (ETSI EN 319 102-1). */
public enum Indication {
  /** Every check passed: cryptography, certificate chain to a trust anchor, revocation, time. */
  TOTAL_PASSED,
  /** Nothing is wrong, but something could not be proved (unknown root, missing revocation...). */
  INDETERMINATE,
  /** Something is wrong: the document changed after signing, the signature is broken, revoked... */
  TOTAL_FAILED
}
