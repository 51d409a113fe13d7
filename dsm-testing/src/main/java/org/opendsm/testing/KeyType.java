package org.opendsm.testing;

/** The end-entity key types the test PKI issues. */
public enum KeyType {
  RSA_2048("RSA", 2048, false),
  /** An RSA key whose owner signs with RSASSA-PSS. */
  RSA_PSS_2048("RSA", 2048, true),
  EC_P256("EC", 256, false),
  EC_P384("EC", 384, false);

  private final String algorithm;
  private final int size;
  private final boolean pss;

  KeyType(String algorithm, int size, boolean pss) {
    this.algorithm = algorithm;
    this.size = size;
    this.pss = pss;
  }

  public String algorithm() {
    return algorithm;
  }

  public int size() {
    return size;
  }

  /** Whether signatures with this key use RSASSA-PSS. */
  public boolean pss() {
    return pss;
  }

  /** A short lower-case label, e.g. {@code ec-p256}, for file names and test names. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
