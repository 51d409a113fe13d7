package org.opendsm.server.internal.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.DigestAlgorithm;
import org.opendsm.server.internal.ServerFixture;
import org.opendsm.server.internal.vault.KeySpec;

class PkiServicesTest {
  @TempDir Path dir;
  private ServerFixture f;
  private PkiServices pki;
  private X509Certificate user;

  @BeforeEach
  void setUp() throws Exception {
    f = new ServerFixture(dir);
    pki = new PkiServices(f.db.jdbi(), f.ca, f.audit, f.clock);
    f.enrol("alice", KeySpec.EC_P256);
    user = f.accounts.credentials("alice").get(0).certificate();
  }

  @Test
  void ocsp_saysGood_thenRevokedAtOnce_signedByTheIssuingCa() throws Exception {
    assertThat(ocspStatus(user.getSerialNumber())).isEqualTo(CertificateStatus.GOOD);

    pki.revoke("admin", user.getSerialNumber(), CRLReason.keyCompromise);

    assertThat(ocspStatus(user.getSerialNumber())).isInstanceOf(RevokedStatus.class);
    assertThat(f.accounts.credentials("alice").get(0).status()).isEqualTo("REVOKED");
  }

  @Test
  void ocsp_forACertificateWeNeverIssued_isUnknown() throws Exception {
    assertThat(ocspStatus(BigInteger.valueOf(999_999))).isInstanceOf(UnknownStatus.class);
  }

  @Test
  void crl_listsARevocationAtOnce_andVerifiesWithTheIssuingCa() throws Exception {
    pki.revoke("admin", user.getSerialNumber(), CRLReason.keyCompromise);

    X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
        .generateCRL(new ByteArrayInputStream(pki.issuingCaCrl(serial(f.ca.issuing().certificate())).orElseThrow()));
    crl.verify(f.ca.issuing().certificate().getPublicKey());
    assertThat(crl.isRevoked(user)).isTrue();
  }

  @Test
  void tsa_tokensVerify_echoTheNonce_andHaveIncreasingSerials() throws Exception {
    BigInteger previous = BigInteger.ZERO;
    for (int i = 0; i < 3; i++) {
      TimeStampRequestGenerator g = new TimeStampRequestGenerator();
      g.setCertReq(true);
      BigInteger nonce = new BigInteger(64, new SecureRandom());
      var request = g.generate(TSPAlgorithms.SHA256, DigestAlgorithm.SHA256.digest(new byte[] {(byte) i}), nonce);
      TimeStampResponse response = new TimeStampResponse(pki.timestamp(request.getEncoded()));
      response.validate(request);
      var token = response.getTimeStampToken();
      token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(f.ca.tsa().certificate()));
      assertThat(token.getTimeStampInfo().getNonce()).isEqualTo(nonce);
      assertThat(token.getTimeStampInfo().getSerialNumber()).isGreaterThan(previous);
      previous = token.getTimeStampInfo().getSerialNumber();
    }
    assertThat(f.ca.tsa().certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.8");
  }

  @Test
  void issuingCaRenewal_eachGenerationIssuesAndAnswersForItsOwnCertificates() throws Exception {
    X509Certificate first = f.ca.issuing().certificate();

    X509Certificate second = f.ca.renewIssuingCa();
    f.enrol("bob", KeySpec.EC_P256);
    X509Certificate bob = f.accounts.credentials("bob").get(0).certificate();

    assertThat(second.getSubjectX500Principal().getName()).contains("Signing CA G2");
    assertThat(second.getPublicKey()).isNotEqualTo(first.getPublicKey());
    second.verify(f.ca.root().certificate().getPublicKey());
    assertThat(f.ca.issuing().certificate()).isEqualTo(second);
    bob.verify(second.getPublicKey());
    assertThat(bob.getIssuerX500Principal()).isEqualTo(second.getSubjectX500Principal());
    assertThat(f.ca.chainFor(user)).containsExactly(first, f.ca.root().certificate());
    assertThat(f.ca.chainFor(bob)).containsExactly(second, f.ca.root().certificate());
    assertThat(new String(bob.getExtensionValue("2.5.29.31"), java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains("/pki/ca/" + serial(second) + ".crl");

    // OCSP: each generation answers, and signs, for what it issued; not for the other's.
    assertThat(ocspStatus(user.getSerialNumber(), first)).isEqualTo(CertificateStatus.GOOD);
    assertThat(ocspStatus(bob.getSerialNumber(), second)).isEqualTo(CertificateStatus.GOOD);
    assertThat(ocspStatus(bob.getSerialNumber(), first)).isInstanceOf(UnknownStatus.class);
    assertThat(ocspStatus(user.getSerialNumber(), second)).isInstanceOf(UnknownStatus.class);

    // CRLs: each generation lists its own revoked certificates, signed with its own key.
    pki.revoke("admin", user.getSerialNumber(), CRLReason.keyCompromise);
    pki.revoke("admin", bob.getSerialNumber(), CRLReason.superseded);
    X509CRL firstCrl = crl(first);
    X509CRL secondCrl = crl(second);
    assertThat(firstCrl.isRevoked(user)).isTrue();
    assertThat(firstCrl.isRevoked(bob)).isFalse();
    assertThat(secondCrl.isRevoked(bob)).isTrue();
    assertThat(secondCrl.isRevoked(user)).isFalse();
    assertThat(ocspStatus(user.getSerialNumber(), first)).isInstanceOf(RevokedStatus.class);
    assertThat(ocspStatus(bob.getSerialNumber(), second)).isInstanceOf(RevokedStatus.class);
  }

  @Test
  void rootRenewal_theOldRootCertifiesTheNew_andPathsBuildFromEitherRoot() throws Exception {
    X509Certificate oldRoot = f.ca.root().certificate();
    X509Certificate oldIssuing = f.ca.issuing().certificate();

    X509Certificate newRoot = f.ca.renewRoot();
    X509Certificate issuing = f.ca.issuing().certificate();
    f.enrol("carol", KeySpec.EC_P256);
    X509Certificate carol = f.accounts.credentials("carol").get(0).certificate();

    newRoot.verify(newRoot.getPublicKey());
    assertThat(newRoot.getSubjectX500Principal().getName()).contains("Root CA G2");
    assertThat(newRoot.getPublicKey()).isNotEqualTo(oldRoot.getPublicKey());
    issuing.verify(newRoot.getPublicKey());
    assertThat(issuing.getSubjectX500Principal().getName()).contains("Signing CA G2");
    assertThat(f.ca.roots()).extracting(CertificateAuthority.Issuer::certificate).containsExactly(newRoot, oldRoot);
    assertThat(f.ca.chainFor(user)).containsExactly(oldIssuing, oldRoot);
    List<X509Certificate> chain = f.ca.chainFor(carol);
    assertThat(chain).hasSize(2).startsWith(issuing);
    X509Certificate cross = chain.get(1);
    cross.verify(oldRoot.getPublicKey());
    assertThat(cross.getSubjectX500Principal()).isEqualTo(newRoot.getSubjectX500Principal());
    assertThat(cross.getPublicKey()).isEqualTo(newRoot.getPublicKey());

    // A relying party with either root finds a path (revocation is checked elsewhere).
    assertThat(pkixValid(List.of(carol, issuing), newRoot)).isTrue();
    assertThat(pkixValid(List.of(carol, issuing, cross), oldRoot)).isTrue();
    assertThat(pkixValid(List.of(user, oldIssuing), oldRoot)).isTrue();
    assertThat(pkixValid(List.of(carol, issuing), oldRoot)).as("not without the cross certificate").isFalse();

    for (X509Certificate root : List.of(oldRoot, newRoot)) {
      X509CRL rootCrl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(
          pki.rootCrl(serial(root)).orElseThrow()));
      rootCrl.verify(root.getPublicKey());
    }
    assertThat(ocspStatus(carol.getSerialNumber(), issuing)).isEqualTo(CertificateStatus.GOOD);
    assertThat(ocspStatus(user.getSerialNumber(), oldIssuing)).isEqualTo(CertificateStatus.GOOD);
  }

  private static boolean pkixValid(List<X509Certificate> path, X509Certificate anchor) throws Exception {
    var params = new java.security.cert.PKIXParameters(java.util.Set.of(new java.security.cert.TrustAnchor(anchor, null)));
    params.setRevocationEnabled(false);
    try {
      java.security.cert.CertPathValidator.getInstance("PKIX").validate(
          CertificateFactory.getInstance("X.509").generateCertPath(path), params);
      return true;
    } catch (java.security.cert.CertPathValidatorException e) {
      return false;
    }
  }

  private X509CRL crl(X509Certificate issuer) throws Exception {
    X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
        .generateCRL(new ByteArrayInputStream(pki.issuingCaCrl(serial(issuer)).orElseThrow()));
    crl.verify(issuer.getPublicKey());
    assertThat(crl.getIssuerX500Principal()).isEqualTo(issuer.getSubjectX500Principal());
    return crl;
  }

  private static String serial(X509Certificate cert) {
    return cert.getSerialNumber().toString(16);
  }

  private CertificateStatus ocspStatus(BigInteger serial) throws Exception {
    return ocspStatus(serial, f.ca.issuing().certificate());
  }

  private CertificateStatus ocspStatus(BigInteger serial, X509Certificate issuer) throws Exception {
    var digest = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
    CertificateID id = new CertificateID(digest, new JcaX509CertificateHolder(issuer), serial);
    OCSPResp resp = new OCSPResp(pki.ocsp(new OCSPReqBuilder().addRequest(id).build().getEncoded()));
    BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
    assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer))).isTrue();
    return basic.getResponses()[0].getCertStatus();
  }
}
