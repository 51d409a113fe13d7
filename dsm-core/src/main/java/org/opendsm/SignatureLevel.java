package org.opendsm;

/**
 * ETSI baseline levels (EN 319 102-1), in increasing order of long-term value.
 *
 * <ul>
 *   <li>{@link #B}: basic signature with signed attributes binding the signer's certificate.</li>
 *   <li>{@link #T}: plus a signature timestamp from a trusted TSA: proves the signature existed then.</li>
 *   <li>{@link #LT}: plus the certificates and revocation data needed to validate it later.</li>
 *   <li>{@link #LTA}: plus an archive (document) timestamp that protects all of the above.</li>
 * </ul>
 */
public enum SignatureLevel {
  B, T, LT, LTA;

  /** Whether reaching this level needs a timestamp source. */
  public boolean needsTimestamp() {
    return this != B;
  }

  /** Whether this level is at least {@code other}. */
  public boolean isAtLeast(SignatureLevel other) {
    return compareTo(other) >= 0;
  }

  /** Parses {@code B}, {@code B-T}, {@code LTA}, {@code b-lta}... */
  public static SignatureLevel parse(String text) {
    String t = text.trim().toUpperCase(java.util.Locale.ROOT);
    if (t.startsWith("B-") && t.length() > 2) {
      t = t.substring(2);
    }
    try {
      return valueOf(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Unknown signature level '" + text + "': use B, T, LT or LTA", e);
    }
  }
}
