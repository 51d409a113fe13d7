package org.opendsm.internal;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import org.opendsm.SignatureAlgorithm;

/** Which signature scheme a key supports. */
public final class Keys {
  private static final int MIN_RSA_BITS = 2048;

  private Keys() {}

  /** EC keys sign with ECDSA; RSA keys with PKCS#1 v1.5, or PSS when the key is an RSASSA-PSS key. */
  public static SignatureAlgorithm.Scheme defaultScheme(PublicKey key) {
    if (key instanceof ECKey) {
      return SignatureAlgorithm.Scheme.ECDSA;
    }
    if ("RSASSA-PSS".equals(key.getAlgorithm())) {
      return SignatureAlgorithm.Scheme.RSA_PSS;
    }
    if ("RSA".equals(key.getAlgorithm())) {
      return SignatureAlgorithm.Scheme.RSA_PKCS1;
    }
    throw new IllegalArgumentException("Unsupported key type " + key.getAlgorithm()
        + ": use RSA (2048 bits or more) or EC (P-256, P-384)");
  }

  /** Refuses a scheme the certificate's key cannot produce, and RSA keys under 2048 bits. */
  public static void checkSchemeFits(X509Certificate cert, SignatureAlgorithm.Scheme scheme) {
    PublicKey key = cert.getPublicKey();
    boolean ec = key instanceof ECKey;
    if (ec != (scheme == SignatureAlgorithm.Scheme.ECDSA)) {
      throw new IllegalArgumentException("Scheme " + scheme + " does not fit the " + key.getAlgorithm()
          + " key of " + cert.getSubjectX500Principal().getName());
    }
    if (key instanceof RSAKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      throw new IllegalArgumentException("RSA keys need at least " + MIN_RSA_BITS + " bits; the key of "
          + cert.getSubjectX500Principal().getName() + " has " + rsa.getModulus().bitLength());
    }
  }
}
