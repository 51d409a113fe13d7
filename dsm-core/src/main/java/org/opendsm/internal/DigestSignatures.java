package org.opendsm.internal;

import java.io.IOException;
import java.math.BigInteger;
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
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.opendsm.DigestAlgorithm;
import org.opendsm.SignatureAlgorithm;

/**
 * Signatures over a digest that arrives already computed (CSC signHash), never hashed again:
 * PKCS#1 v1.5 over a DigestInfo, raw PSS, raw ECDSA (DER). Used by the server to sign and by
 * both sides to check a value before it is used. Bouncy Castle is passed explicitly, never
 * installed globally.
 */
public final class DigestSignatures {
  private static final Provider BC = new BouncyCastleProvider();

  private DigestSignatures() {}

  public static byte[] sign(Provider provider, PrivateKey key, SignatureAlgorithm algorithm, byte[] digest)
      throws GeneralSecurityException {
    Signature s = instance(algorithm, provider);
    s.initSign(key);
    s.update(input(algorithm, digest));
    return s.sign();
  }

  /**
   * Whether {@code value} is {@code key}'s signature of {@code digest}; false for garbage. ECDSA
   * goes through Bouncy Castle's lightweight verifier with the key's parameters kept per key: the
   * precomputation Bouncy Castle attaches to the public point is then made once, not on every
   * verification (a verification cost about as much as a signature before).
   */
  public static boolean verify(PublicKey key, SignatureAlgorithm algorithm, byte[] digest, byte[] value) {
    try {
      if (algorithm.scheme() == SignatureAlgorithm.Scheme.ECDSA && key instanceof java.security.interfaces.ECPublicKey) {
        ECPublicKeyParameters params = EC_KEYS.computeIfAbsent(key, DigestSignatures::ecParameters);
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, params);
        BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(params.getParameters().getN(), value);
        return verifier.verifySignature(digest, rs[0], rs[1]);
      }
      Signature s = instance(algorithm, BC);
      s.initVerify(key);
      s.update(input(algorithm, digest));
      return s.verify(value);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      return false;
    }
  }

  /** Recently used EC public keys' parameters (bounded; keys are public). */
  private static final java.util.Map<PublicKey, ECPublicKeyParameters> EC_KEYS = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<PublicKey, ECPublicKeyParameters> eldest) {
          return size() > 1024;
        }
      });

  private static ECPublicKeyParameters ecParameters(PublicKey key) {
    try {
      return (ECPublicKeyParameters) ECUtil.generatePublicKeyParameter(key);
    } catch (java.security.InvalidKeyException e) {
      throw new IllegalArgumentException("Not a usable EC public key: " + e.getMessage(), e);
    }
  }

  /** Bouncy Castle, for software keys: faster ECDSA than the JDK 17 provider, and raw PSS. */
  public static Provider bouncyCastle() {
    return BC;
  }

  private static Signature instance(SignatureAlgorithm algorithm, Provider provider) throws GeneralSecurityException {
    return switch (algorithm.scheme()) {
      case ECDSA -> Signature.getInstance("NONEwithECDSA", provider);
      case RSA_PKCS1 -> Signature.getInstance("NONEwithRSA", provider);
      case RSA_PSS -> {
        Signature s = Signature.getInstance("NONEwithRSAandMGF1", provider);
        String hash = algorithm.digestAlgorithm().jcaName();
        s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash),
            algorithm.digestAlgorithm().length(), 1));
        yield s;
      }
    };
  }

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
