package org.opendsm.testing;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/** An RFC 3161 TSA on Bouncy Castle: unique increasing serials, nonce echoed, 1 s accuracy. */
final class TimestampAuthority {
  static final String POLICY = "1.3.6.1.4.1.55555.1.1";
  private final TimeStampResponseGenerator generator;
  private final AtomicLong serial = new AtomicLong();

  TimestampAuthority(PrivateKey key, List<X509Certificate> chain) {
    try {
      var signerInfo = new JcaSignerInfoGeneratorBuilder(
          new JcaDigestCalculatorProviderBuilder().build())
          .build(new JcaContentSignerBuilder(Certificates.signatureAlgorithm(chain.get(0).getPublicKey()))
              .build(key), chain.get(0));
      TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(
          signerInfo,
          new JcaDigestCalculatorProviderBuilder().build().get(
              new org.bouncycastle.asn1.x509.AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
          new ASN1ObjectIdentifier(POLICY));
      tokens.addCertificates(new JcaCertStore(chain));
      tokens.setAccuracySeconds(1);
      tokens.setOrdering(true);
      generator = new TimeStampResponseGenerator(tokens,
          Set.of(TSPAlgorithms.SHA256, TSPAlgorithms.SHA384, TSPAlgorithms.SHA512));
    } catch (Exception e) {
      throw new IllegalStateException("Cannot set up the test TSA", e);
    }
  }

  /** Synchronized: the generator shares one JCA Signature between requests. */
  synchronized byte[] respond(byte[] query) throws Exception {
    TimeStampRequest request = new TimeStampRequest(query);
    return generator.generate(request, BigInteger.valueOf(serial.incrementAndGet()), new Date())
        .getEncoded();
  }
}
