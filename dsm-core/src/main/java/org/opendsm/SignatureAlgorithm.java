package org.opendsm;

/**
 * A signature scheme combined with a digest algorithm, e.g. ECDSA with SHA-256.
 *
 * <p>Signers receive the <em>digest</em> of the data to be signed, never the data itself; the
 * scheme decides how that digest becomes a signature (PKCS#1 v1.5 DigestInfo, PSS with MGF1 and a
 * salt as long as the digest, or ECDSA with a DER-encoded value).
 */
public enum SignatureAlgorithm {
  RSA_SHA256(Scheme.RSA_PKCS1, DigestAlgorithm.SHA256, "SHA256withRSA"),
  RSA_SHA384(Scheme.RSA_PKCS1, DigestAlgorithm.SHA384, "SHA384withRSA"),
  RSA_SHA512(Scheme.RSA_PKCS1, DigestAlgorithm.SHA512, "SHA512withRSA"),
  RSA_PSS_SHA256(Scheme.RSA_PSS, DigestAlgorithm.SHA256, "SHA256withRSAandMGF1"),
  RSA_PSS_SHA384(Scheme.RSA_PSS, DigestAlgorithm.SHA384, "SHA384withRSAandMGF1"),
  RSA_PSS_SHA512(Scheme.RSA_PSS, DigestAlgorithm.SHA512, "SHA512withRSAandMGF1"),
  ECDSA_SHA256(Scheme.ECDSA, DigestAlgorithm.SHA256, "SHA256withECDSA"),
  ECDSA_SHA384(Scheme.ECDSA, DigestAlgorithm.SHA384, "SHA384withECDSA"),
  ECDSA_SHA512(Scheme.ECDSA, DigestAlgorithm.SHA512, "SHA512withECDSA");

  /** How the key signs. */
  public enum Scheme {
    /** RSASSA-PKCS1-v1_5. */
    RSA_PKCS1,
    /** RSASSA-PSS, MGF1 with the same digest, salt length = digest length, trailer 1. */
    RSA_PSS,
    /** ECDSA on a named curve (P-256, P-384); values are DER-encoded. */
    ECDSA
  }

  private final Scheme scheme;
  private final DigestAlgorithm digestAlgorithm;
  private final String jcaName;

  SignatureAlgorithm(Scheme scheme, DigestAlgorithm digestAlgorithm, String jcaName) {
    this.scheme = scheme;
    this.digestAlgorithm = digestAlgorithm;
    this.jcaName = jcaName;
  }

  public Scheme scheme() {
    return scheme;
  }

  public DigestAlgorithm digestAlgorithm() {
    return digestAlgorithm;
  }

  /**
   * The algorithm name as Bouncy Castle and the JDK know it for signing whole data (PSS names are
   * Bouncy Castle's).
   */
  public String jcaName() {
    return jcaName;
  }

  /** The algorithm for a scheme and a digest. */
  public static SignatureAlgorithm of(Scheme scheme, DigestAlgorithm digest) {
    for (SignatureAlgorithm a : values()) {
      if (a.scheme == scheme && a.digestAlgorithm == digest) {
        return a;
      }
    }
    throw new IllegalArgumentException("No signature algorithm for " + scheme + " with " + digest);
  }
}
