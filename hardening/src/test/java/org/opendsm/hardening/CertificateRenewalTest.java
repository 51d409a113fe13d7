package org.opendsm.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.client.DsmClient;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.ServerConfig;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.AdminApi;
import org.opendsm.testing.MutableClock;

/**
 * A user's certificate renewed before it expires: a new certificate for the same key, which the
 * CSC API lists from then on and which signatures verify against; the old one stays good until it
 * expires; revoking the credential revokes both. Bulk renewal takes exactly what expires soon.
 */
class CertificateRenewalTest {
  private final MutableClock clock = new MutableClock(Instant.now());
  @TempDir Path dir;

  @Test
  void aRenewedCertificate_coversTheSameKey_andTheOldOneStaysGoodUntilTheCredentialIsRevoked() throws Exception {
    try (ReferenceServer node = startNode()) {
      AdminApi admin = new AdminApi(node.baseUrl(), node.tlsCertificate(), Cluster.ADMIN_TOKEN);
      Secret secret = Cluster.register(admin, "bank");
      Cluster.User ada = Cluster.enrol(admin, "ada", clock);
      Cluster.User bob = Cluster.enrol(admin, "bob", clock);
      try (DsmClient client = Cluster.client(node.baseUrl(), node.tlsCertificate(), "bank", secret)) {
        X509Certificate old = Cluster.certificate(client, ada.credentialId());

        JsonNode renewed = admin.post("/admin/credentials/" + ada.credentialId() + "/renew", Map.of());
        X509Certificate current = Cluster.certificate(client, ada.credentialId());

        assertThat(current.getSerialNumber().toString(16)).isEqualTo(renewed.get("serialNumber").asText())
            .isNotEqualTo(old.getSerialNumber().toString(16));
        assertThat(current.getPublicKey()).isEqualTo(old.getPublicKey());
        assertThat(current.getSubjectX500Principal()).isEqualTo(old.getSubjectX500Principal());
        assertThat(current.getNotAfter()).isAfterOrEqualTo(old.getNotAfter());
        current.verify(node.issuingCaCertificate().getPublicKey());

        byte[] digest = DigestAlgorithm.SHA256.digest("signed after the renewal".getBytes());
        clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        String sad;
        try (Secret password = Secret.of(Cluster.PASSWORD); Secret otp = Secret.of(ada.code(clock))) {
          sad = client.authorize(ada.credentialId(), DigestAlgorithm.SHA256, List.of(digest), password, otp).sad();
        }
        byte[] value = client.signHash(ada.credentialId(), sad, SignatureAlgorithm.ECDSA_SHA256, List.of(digest)).get(0);
        assertThat(org.opendsm.internal.DigestSignatures.verify(current.getPublicKey(), SignatureAlgorithm.ECDSA_SHA256,
            digest, value)).isTrue();

        assertThat(ocspRevoked(node, old)).as("the old certificate is still good").isFalse();
        assertThat(ocspRevoked(node, current)).isFalse();
        admin.post("/admin/credentials/" + ada.credentialId() + "/revoke", Map.of());
        assertThat(ocspRevoked(node, old)).as("revoked with the credential").isTrue();
        assertThat(ocspRevoked(node, current)).isTrue();

        // Bulk renewal: nothing expires within 30 days; everything active within three years.
        assertThat(admin.post("/admin/certificates/renew-expiring", Map.of("days", 30)).get("renewed")).isEmpty();
        JsonNode all = admin.post("/admin/certificates/renew-expiring", Map.of("days", 1100)).get("renewed");
        assertThat(all).hasSize(1);
        assertThat(all.get(0).get("credentialID").asText()).isEqualTo(bob.credentialId());
      }
      assertThat(node.verifyAudit()).isEmpty();
    }
  }

  @Test
  void aRenewedTsa_signsTheNextTimestamps_andItsOldCertificateStaysKnown() throws Exception {
    try (ReferenceServer node = startNode()) {
      AdminApi admin = new AdminApi(node.baseUrl(), node.tlsCertificate(), Cluster.ADMIN_TOKEN);
      Secret secret = Cluster.register(admin, "bank");
      try (DsmClient client = Cluster.client(node.baseUrl(), node.tlsCertificate(), "bank", secret)) {
        byte[] digest = DigestAlgorithm.SHA256.digest("stamped".getBytes());
        var before = new org.bouncycastle.tsp.TimeStampToken(new org.bouncycastle.cms.CMSSignedData(
            client.timestamp(DigestAlgorithm.SHA256, digest)));

        JsonNode renewed = admin.post("/admin/tsa/renew", Map.of());
        var after = new org.bouncycastle.tsp.TimeStampToken(new org.bouncycastle.cms.CMSSignedData(
            client.timestamp(DigestAlgorithm.SHA256, digest)));

        X509Certificate oldTsa = signerOf(before);
        X509Certificate newTsa = signerOf(after);
        assertThat(newTsa.getSerialNumber().toString(16)).isEqualTo(renewed.get("serialNumber").asText());
        assertThat(newTsa.getSerialNumber()).isNotEqualTo(oldTsa.getSerialNumber());
        assertThat(newTsa.getPublicKey()).isNotEqualTo(oldTsa.getPublicKey());
        assertThat(newTsa.getSubjectX500Principal()).isEqualTo(oldTsa.getSubjectX500Principal());
        assertThat(newTsa.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.8");
        newTsa.verify(node.issuingCaCertificate().getPublicKey());
        after.validate(new org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder().build(newTsa));
        before.validate(new org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder().build(oldTsa));
        assertThat(after.getTimeStampInfo().getMessageImprintDigest()).isEqualTo(digest);
        assertThat(ocspRevoked(node, oldTsa)).as("the old TSA certificate: known and good").isFalse();
        assertThat(ocspRevoked(node, newTsa)).isFalse();
      }
      assertThat(node.verifyAudit()).isEmpty();
    }
  }

  @Test
  void renewExpiring_takesWhatExpiresWithinTheWindow_andTheTsaWhenItsTurnComes() {
    try (ReferenceServer node = startNode()) {
      AdminApi admin = new AdminApi(node.baseUrl(), node.tlsCertificate(), Cluster.ADMIN_TOKEN);
      Cluster.User early = Cluster.enrol(admin, "early", clock); // certificate until now + 730 days
      clock.advance(Duration.ofDays(400));
      Cluster.enrol(admin, "late", clock); // until now + 730 days, i.e. 400 days after the first

      JsonNode first = admin.post("/admin/certificates/renew-expiring", Map.of("days", 500));
      JsonNode again = admin.post("/admin/certificates/renew-expiring", Map.of("days", 500));
      JsonNode withTsa = admin.post("/admin/certificates/renew-expiring", Map.of("days", 1500));

      assertThat(first.get("renewed")).hasSize(1);
      assertThat(first.get("renewed").get(0).get("credentialID").asText()).isEqualTo(early.credentialId());
      assertThat(first.has("tsa")).as("the TSA has 1425 days left").isFalse();
      assertThat(again.get("renewed")).as("renewed means not expiring any more").isEmpty();
      assertThat(withTsa.get("renewed")).hasSize(2);
      assertThat(withTsa.get("tsa").get("serialNumber").asText()).isNotEmpty();
      assertThat(node.verifyAudit()).isEmpty();
    }
  }

  private static X509Certificate signerOf(org.bouncycastle.tsp.TimeStampToken token) throws Exception {
    var holder = (org.bouncycastle.cert.X509CertificateHolder) token.getCertificates().getMatches(token.getSID())
        .iterator().next();
    return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder);
  }

  private ReferenceServer startNode() {
    return ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(0).withDataDirectory(dir)
        .withAdminToken(Secret.of(Cluster.ADMIN_TOKEN)), clock);
  }

  /** Asks the responder the certificate names; true if it answers revoked. */
  private static boolean ocspRevoked(ReferenceServer node, X509Certificate cert) throws Exception {
    X509Certificate issuer = node.issuingCaCertificate();
    var id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
        new JcaX509CertificateHolder(issuer), cert.getSerialNumber());
    byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.pkiUrl()
        + "/pki/ocsp")).header("Content-Type", "application/ocsp-request")
        .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(), HttpResponse.BodyHandlers.ofByteArray());
    BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(r.body()).getResponseObject();
    assertThat(basic.getResponses()[0].getCertID().getSerialNumber()).isEqualTo(cert.getSerialNumber());
    var status = basic.getResponses()[0].getCertStatus(); // null means good
    assertThat(status instanceof org.bouncycastle.cert.ocsp.UnknownStatus).as("known to the responder").isFalse();
    return status instanceof RevokedStatus;
  }
}
