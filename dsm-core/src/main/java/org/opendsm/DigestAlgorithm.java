package org.opendsm;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Digest algorithms accepted for new signatures. SHA-1 is deliberately absent: it is refused for
 * new signatures (verification of old SHA-1 signatures is left to the validation policy).
 */
public enum DigestAlgorithm {
  SHA256("SHA-256", "2.16.840.1.101.3.4.2.1", 32),
  SHA384("SHA-384", "2.16.840.1.101.3.4.2.2", 48),
  SHA512("SHA-512", "2.16.840.1.101.3.4.2.3", 64);

  private final String jcaName;
  private final String oid;
  private final int length;

  DigestAlgorithm(String jcaName, String oid, int length) {
    this.jcaName = jcaName;
    this.oid = oid;
    this.length = length;
  }

  /** The JCA name, e.g. {@code SHA-256}. */
  public String jcaName() {
    return jcaName;
  }

  public String oid() {
    return oid;
  }

  /** Length of a digest in bytes. */
  public int length() {
    return length;
  }

  /** A fresh JDK {@link MessageDigest} (JDK intrinsics are several times faster than Bouncy Castle). */
  public MessageDigest newMessageDigest() {
    try {
      return MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jcaName + " is missing from this JDK", e);
    }
  }

  public byte[] digest(byte[] data) {
    return newMessageDigest().digest(data);
  }

  /**
   * Parses {@code SHA256}, {@code SHA-256} or {@code sha-256}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static DigestAlgorithm parse(String name) {
    String n = name.replace("-", "").toUpperCase(java.util.Locale.ROOT);
    for (DigestAlgorithm a : values()) {
      if (a.name().equals(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "Unsupported digest algorithm '" + name + "': use SHA256, SHA384 or SHA512"
            + (n.equals("SHA1") ? " (SHA-1 is not allowed for new signatures)" : ""));
  }
}
