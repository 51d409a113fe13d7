package org.opendsm.testing;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A fresh CRL on every request, so a revocation shows at once. */
final class CrlIssuer {
  private final X509Certificate ca;
  private final PrivateKey caKey;
  private final Map<BigInteger, Instant> revoked;
  private final AtomicLong number = new AtomicLong();

  CrlIssuer(X509Certificate ca, PrivateKey caKey, Map<BigInteger, Instant> revoked) {
    this.ca = ca;
    this.caKey = caKey;
    this.revoked = revoked;
  }

  byte[] crl() throws Exception {
    Instant now = Instant.now();
    X509v2CRLBuilder b = new X509v2CRLBuilder(
        X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), Date.from(now));
    b.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
    revoked.forEach((serial, at) -> b.addCRLEntry(serial, Date.from(at), CRLReason.keyCompromise));
    b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number.incrementAndGet())));
    b.addExtension(Extension.authorityKeyIdentifier, false,
        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
    var signer = new JcaContentSignerBuilder(Certificates.signatureAlgorithm(ca.getPublicKey())).build(caKey);
    return b.build(signer).getEncoded();
  }
}
