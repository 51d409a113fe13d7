package org.opendsm.server.internal.signing;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.opendsm.DigestAlgorithm;
import org.opendsm.SignatureAlgorithm;

/**
 * Signs a digest that arrives already computed (CSC signHash), without hashing it again, and
 * verifies each value before it leaves. Bouncy Castle is passed explicitly (never installed
 * globally): its ECDSA is several times faster than the JDK 17 provider's, and it has raw PSS.
 */
final class DigestSigner {
  private static final Provider BC = new BouncyCastleProvider();

  private DigestSigner() {}

  static byte[] sign(PrivateKey key, SignatureAlgorithm algorithm, byte[] digest) throws GeneralSecurityException {
    Signature s = instance(algorithm);
    s.initSign(key);
    s.update(input(algorithm, digest));
    return s.sign();
  }

  static boolean verify(PublicKey key, SignatureAlgorithm algorithm, byte[] digest, byte[] value)
      throws GeneralSecurityException {
    Signature s = instance(algorithm);
    s.initVerify(key);
    s.update(input(algorithm, digest));
    return s.verify(value);
  }

  private static Signature instance(SignatureAlgorithm algorithm) throws GeneralSecurityException {
    return switch (algorithm.scheme()) {
      case ECDSA -> Signature.getInstance("NONEwithECDSA", BC);
      case RSA_PKCS1 -> Signature.getInstance("NONEwithRSA", BC);
      case RSA_PSS -> {
        Signature s = Signature.getInstance("NONEwithRSAandMGF1", BC);
        String hash = algorithm.digestAlgorithm().jcaName();
        s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash),
            algorithm.digestAlgorithm().length(), 1));
        yield s;
      }
    };
  }

  /** PKCS#1 v1.5 signs a DigestInfo; ECDSA and PSS take the bare digest. */
  private static byte[] input(SignatureAlgorithm algorithm, byte[] digest) {
    if (algorithm.scheme() != SignatureAlgorithm.Scheme.RSA_PKCS1) {
      return digest;
    }
    DigestAlgorithm d = algorithm.digestAlgorithm();
    try {
      return new DigestInfo(new AlgorithmIdentifier(new ASN1ObjectIdentifier(d.oid()), DERNull.INSTANCE), digest)
          .getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
