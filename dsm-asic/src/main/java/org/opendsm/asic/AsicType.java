package org.opendsm.asic;

/** The two kinds of Associated Signature Container (ETSI EN 319 162-1). */
public enum AsicType {
  /** ASiC-S (.asics): one signed file (several are zipped into one {@code package.zip} first). */
  SIMPLE,
  /** ASiC-E (.asice): several files, each named by the signature or its manifest. */
  EXTENDED
}
