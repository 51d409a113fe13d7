package org.opendsm.testing;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** RFC 6960 responses signed by the issuing CA itself (no delegated responder to check). */
final class OcspResponder {
  private final X509Certificate ca;
  private final PrivateKey caKey;
  private final Map<BigInteger, Instant> revoked;

  OcspResponder(X509Certificate ca, PrivateKey caKey, Map<BigInteger, Instant> revoked) {
    this.ca = ca;
    this.caKey = caKey;
    this.revoked = revoked;
  }

  byte[] respond(byte[] body) throws Exception {
    OCSPReq request = new OCSPReq(body);
    X509CertificateHolder caHolder = new JcaX509CertificateHolder(ca);
    var digests = new JcaDigestCalculatorProviderBuilder().build();
    BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(
        new RespID(caHolder.getSubject()));
    Instant now = Instant.now();
    for (Req r : request.getRequestList()) {
      var id = r.getCertID();
      boolean ours = id.matchesIssuer(caHolder, digests);
      Instant revokedAt = revoked.get(id.getSerialNumber());
      CertificateStatus status = !ours
          ? new org.bouncycastle.cert.ocsp.UnknownStatus()
          : revokedAt == null ? CertificateStatus.GOOD
          : new RevokedStatus(Date.from(revokedAt), CRLReason.keyCompromise);
      builder.addResponse(id, status, Date.from(now), Date.from(now.plus(Duration.ofHours(1))), null);
    }
    Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
    if (nonce != null) {
      builder.setResponseExtensions(new org.bouncycastle.asn1.x509.Extensions(nonce));
    }
    var signer = new JcaContentSignerBuilder(Certificates.signatureAlgorithm(ca.getPublicKey())).build(caKey);
    var basic = builder.build(signer, new X509CertificateHolder[] {caHolder}, Date.from(now));
    return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
  }
}
