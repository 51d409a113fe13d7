package org.opendsm;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed keys for core tests (dsm-testing's PKI depends on dsm-core, so it cannot be used here). */
final class TestKeys {
  static final char[] PASSWORD = "test-only".toCharArray();

  private TestKeys() {}

  static KeyStore keyStore(String... aliasAndAlgorithm) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    for (int i = 0; i < aliasAndAlgorithm.length; i += 2) {
      KeyPair kp = generate(aliasAndAlgorithm[i + 1]);
      ks.setKeyEntry(aliasAndAlgorithm[i], kp.getPrivate(), PASSWORD,
          new Certificate[] {selfSigned(kp, "CN=" + aliasAndAlgorithm[i])});
    }
    return ks;
  }

  static KeyPair generate(String algorithm) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
    if ("EC".equals(algorithm)) {
      g.initialize(new ECGenParameterSpec("secp256r1"));
    } else {
      g.initialize(2048);
    }
    return g.generateKeyPair();
  }

  static X509Certificate selfSigned(KeyPair kp, String dn) throws Exception {
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(new X500Name(dn), BigInteger.ONE,
        Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), new X500Name(dn), kp.getPublic());
    String alg = "EC".equals(kp.getPublic().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder(alg).build(kp.getPrivate())));
  }
}
