package org.opendsm;

/** The AdES family of a signature. */
public enum SignatureFormat {
  /** PDF signatures (ETSI EN 319 142). */
  PADES,
  /** CMS signatures over any bytes (ETSI EN 319 122). */
  CADES,
  /** XML signatures (ETSI EN 319 132). */
  XADES
}
