package org.opendsm.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.Document;
import org.opendsm.Secret;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignedDocument;
import org.opendsm.TrustSettings;
import org.opendsm.cades.CadesOptions;
import org.opendsm.cades.CadesService;
import org.opendsm.client.AuthorizationProvider;
import org.opendsm.client.DsmClient;
import org.opendsm.client.RemoteSigner;
import org.opendsm.client.ServerTimestampSource;
import org.opendsm.internal.Dss;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.ServerConfig;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.AdminApi;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.MutableClock;
import org.opendsm.testing.Samples;
import org.opendsm.testing.SignatureAssertions;

/**
 * The issuing CA renewed on a live service: users of both generations sign LT signatures that DSS
 * validates from the root alone (fetching each generation's OCSP answers and CA certificate), and
 * openssl, as an independent verifier, checks both chains against each generation's CRL and OCSP
 * responder, a revocation in each, and the move of a certificate to the new generation.
 */
class IssuingCaRenewalTest {
  private final MutableClock clock = new MutableClock(Instant.now());
  @TempDir Path dir;
  @TempDir Path work;

  @Test
  void bothGenerationsSign_validate_andAnswerForTheirOwnCertificates() throws Exception {
    ExternalTools.require("openssl");
    try (ReferenceServer node = startNode()) {
      AdminApi admin = new AdminApi(node.baseUrl(), node.tlsCertificate(), Cluster.ADMIN_TOKEN);
      Secret secret = Cluster.register(admin, "bank");
      Cluster.User ada = enrol(admin, "ada");
      try (DsmClient client = Cluster.client(node.baseUrl(), node.tlsCertificate(), "bank", secret)) {
        TrustSettings trust = TrustSettings.builder().addTrustAnchor(node.rootCertificate()).build();
        X509Certificate first = node.issuingCaCertificate();
        SignedDocument before = signLt(client, ada, trust);

        JsonNode renewed = admin.post("/admin/ca/renew", Map.of());
        X509Certificate second = node.issuingCaCertificate();
        Cluster.User bob = enrol(admin, "bob");

        assertThat(second.getSerialNumber().toString(16)).isEqualTo(renewed.get("serialNumber").asText());
        assertThat(second.getSubjectX500Principal().getName()).endsWith("Signing CA G2,O=OpenDSM,C=LU");
        X509Certificate adaCert = Cluster.certificate(client, ada.credentialId());
        X509Certificate bobCert = Cluster.certificate(client, bob.credentialId());
        assertThat(adaCert.getIssuerX500Principal()).isEqualTo(first.getSubjectX500Principal());
        assertThat(bobCert.getIssuerX500Principal()).isEqualTo(second.getSubjectX500Principal());
        assertThat(chain(client, ada)).containsExactly(adaCert, first, node.rootCertificate());
        assertThat(chain(client, bob)).containsExactly(bobCert, second, node.rootCertificate());

        // Both generations' users sign; DSS finds each chain and revocation data from the root alone.
        SignatureAssertions.assertValid(signLt(client, bob, trust).document(), List.of(Samples.png()), trust,
            SignatureLevel.LT);
        SignatureAssertions.assertValid(signLt(client, ada, trust).document(), List.of(Samples.png()), trust,
            SignatureLevel.LT);
        SignatureAssertions.assertValid(before.document(), List.of(Samples.png()), trust, SignatureLevel.LT);

        // openssl: each chain against its generation's CRL and OCSP responder.
        Path root = pem("root.pem", node.rootCertificate());
        Path g1 = pem("g1.pem", first);
        Path g2 = pem("g2.pem", second);
        Path adaPem = pem("ada.pem", adaCert);
        Path bobPem = pem("bob.pem", bobCert);
        assertThat(opensslVerify(node, root, g1, adaPem, first)).contains("ada.pem: OK");
        assertThat(opensslVerify(node, root, g2, bobPem, second)).contains("bob.pem: OK");
        assertThat(opensslOcsp(node, root, g1, adaPem)).contains("Response verify OK", "ada.pem: good");
        assertThat(opensslOcsp(node, root, g2, bobPem)).contains("Response verify OK", "bob.pem: good");

        admin.post("/admin/credentials/" + bob.credentialId() + "/revoke", Map.of());
        assertThat(opensslVerify(node, root, g2, bobPem, second)).contains("certificate revoked");
        assertThat(opensslVerify(node, root, g1, adaPem, first)).as("the other generation's CRL").contains("ada.pem: OK");
        assertThat(opensslOcsp(node, root, g2, bobPem)).contains("Response verify OK", "bob.pem: revoked");

        // Moving the remaining certificates to the new generation.
        JsonNode moved = admin.post("/admin/certificates/renew-expiring", Map.of("days", 1, "fromOldIssuingCa", true));
        assertThat(moved.get("renewed")).extracting(r -> r.get("credentialID").asText())
            .containsExactly(ada.credentialId());
        X509Certificate adaNew = Cluster.certificate(client, ada.credentialId());
        assertThat(adaNew.getIssuerX500Principal()).isEqualTo(second.getSubjectX500Principal());
        assertThat(adaNew.getPublicKey()).isEqualTo(adaCert.getPublicKey());
        Path adaNewPem = pem("ada-new.pem", adaNew);
        assertThat(opensslVerify(node, root, g2, adaNewPem, second)).contains("ada-new.pem: OK");
        SignatureAssertions.assertValid(signLt(client, ada, trust).document(), List.of(Samples.png()), trust,
            SignatureLevel.LT);
        assertThat(opensslOcsp(node, root, g1, adaPem)).as("the old certificate stays known to its CA")
            .contains("ada.pem: good");
      }
      assertThat(node.verifyAudit()).isEmpty();
    }
  }

  @Test
  void aRenewedRoot_validatesForRelyingPartiesWithTheOldRootOrTheNew() throws Exception {
    ExternalTools.require("openssl");
    try (ReferenceServer node = startNode()) {
      AdminApi admin = new AdminApi(node.baseUrl(), node.tlsCertificate(), Cluster.ADMIN_TOKEN);
      Secret secret = Cluster.register(admin, "bank");
      Cluster.User ada = enrol(admin, "ada");
      try (DsmClient client = Cluster.client(node.baseUrl(), node.tlsCertificate(), "bank", secret)) {
        X509Certificate oldRoot = node.rootCertificate();
        TrustSettings oldTrust = TrustSettings.builder().addTrustAnchor(oldRoot).build();

        JsonNode renewed = admin.post("/admin/ca/renew-root", Map.of());
        X509Certificate newRoot = node.rootCertificate();
        TrustSettings newTrust = TrustSettings.builder().addTrustAnchor(newRoot).build();
        Cluster.User carol = enrol(admin, "carol");

        assertThat(newRoot.getSerialNumber().toString(16)).isEqualTo(renewed.get("serialNumber").asText());
        assertThat(newRoot.getSubjectX500Principal().getName()).startsWith("CN=OpenDSM Root CA G2");
        assertThat(node.rootCertificates()).containsExactly(newRoot, oldRoot);
        List<X509Certificate> carolChain = chain(client, carol);
        // carol, the new issuing CA, and the new root as the old root certifies it (same name and key)
        assertThat(carolChain).hasSize(3);
        assertThat(carolChain.get(2).getPublicKey()).isEqualTo(newRoot.getPublicKey());
        assertThat(carolChain.get(2).getIssuerX500Principal()).isEqualTo(oldRoot.getSubjectX500Principal());

        // An application that has changed nothing (it trusts the old root) signs for Carol, who is
        // under the new root: the old root's certificate for the new root goes into the signature,
        // and relying parties with either root validate it. One that already trusts the new root
        // signs too, and its relying parties validate.
        SignedDocument byCarol = signLt(client, carol, oldTrust);
        SignatureAssertions.assertValid(byCarol.document(), List.of(Samples.png()), newTrust, SignatureLevel.LT);
        signLt(client, carol, newTrust);
        // Ada (under the old root) still validates, for either kind of relying party.
        SignedDocument byAda = signLt(client, ada, oldTrust);
        SignatureAssertions.assertValid(byAda.document(), List.of(Samples.png()),
            TrustSettings.builder().addTrustAnchor(oldRoot).addTrustAnchor(newRoot).build(), SignatureLevel.LT);

        // openssl, from the old root through the cross certificate, and from the new root.
        Path carolPem = pem("carol.pem", carolChain.get(0));
        Path issuing = pem("issuing-g2.pem", carolChain.get(1));
        Path intermediates = work.resolve("via-old-root.pem");
        Files.writeString(intermediates, Files.readString(issuing) + Files.readString(pem("cross.pem", carolChain.get(2))));
        assertThat(opensslVerify(node, pem("old-root.pem", oldRoot), intermediates, carolPem, carolChain.get(1)))
            .contains("carol.pem: OK");
        assertThat(opensslVerify(node, pem("new-root.pem", newRoot), issuing, carolPem, carolChain.get(1)))
            .contains("carol.pem: OK");
        assertThat(opensslOcsp(node, pem("new-root.pem", newRoot), issuing, carolPem))
            .contains("Response verify OK", "carol.pem: good");

        // Each root generation publishes its certificate and CRL at the URLs its certificates name.
        for (X509Certificate root : List.of(oldRoot, newRoot)) {
          String base = node.pkiUrl() + "/pki/root/" + root.getSerialNumber().toString(16);
          assertThat(Dss.parseCertificate(get(base + ".cer"))).isEqualTo(root);
          java.security.cert.X509CRL crl = (java.security.cert.X509CRL) java.security.cert.CertificateFactory
              .getInstance("X.509").generateCRL(new java.io.ByteArrayInputStream(get(base + ".crl")));
          crl.verify(root.getPublicKey());
        }
      }
      assertThat(node.verifyAudit()).isEmpty();
    }
  }

  private static byte[] get(String url) throws Exception {
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }

  private ReferenceServer startNode() {
    return ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(0).withDataDirectory(dir)
        .withAdminToken(Secret.of(Cluster.ADMIN_TOKEN)), clock);
  }

  private SignedDocument signLt(DsmClient client, Cluster.User u, TrustSettings trust) {
    AuthorizationProvider factors = request -> {
      clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
      return new AuthorizationProvider.Factors(Secret.of(Cluster.PASSWORD), Secret.of(u.code(clock)));
    };
    RemoteSigner signer = RemoteSigner.builder(client).userId(u.id()).authorization(factors).build();
    ServiceSettings settings = ServiceSettings.builder().timestampSource(new ServerTimestampSource(client))
        .trust(trust).build();
    SignedDocument signed = CadesService.create(settings).sign(Samples.png(), CadesOptions.builder()
        .level(SignatureLevel.LT).packaging(SignaturePackaging.DETACHED).build(), signer);
    SignatureAssertions.assertValid(signed.document(), List.of(Samples.png()), trust, SignatureLevel.LT);
    return signed;
  }

  private Cluster.User enrol(AdminApi admin, String id) {
    Cluster.User u = Cluster.enrol(admin, id, clock);
    clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    return u;
  }

  private static List<X509Certificate> chain(DsmClient client, Cluster.User u) {
    return client.credentialInfo(u.credentialId()).cert().certificates().stream()
        .map(b64 -> Dss.parseCertificate(Base64.getDecoder().decode(b64))).toList();
  }

  private Path pem(String name, X509Certificate cert) throws Exception {
    Path file = work.resolve(name);
    Files.writeString(file, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
    return file;
  }

  /** {@code openssl verify} with CRL checking, the CRL fetched from the URL the certificate names. */
  private String opensslVerify(ReferenceServer node, Path root, Path issuer, Path leaf, X509Certificate issuerCert)
      throws Exception {
    String url = node.pkiUrl() + "/pki/ca/" + issuerCert.getSerialNumber().toString(16) + ".crl";
    assertThat(new String(Dss.parseCertificate(Dss.encoded(read(leaf))).getExtensionValue("2.5.29.31"),
        java.nio.charset.StandardCharsets.ISO_8859_1)).as("the certificate names its generation's CRL").contains(url);
    HttpResponse<byte[]> crl = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(crl.statusCode()).isEqualTo(200);
    Path crlFile = work.resolve(leaf.getFileName() + ".crl.der");
    Files.write(crlFile, crl.body());
    Path crlPem = work.resolve(leaf.getFileName() + ".crl.pem");
    ExternalTools.run(work, "openssl", "crl", "-inform", "DER", "-in", crlFile.toString(), "-out", crlPem.toString());
    // At the service's time: the test's clock runs ahead by the TOTP steps it skipped.
    return ExternalTools.run(work, "openssl", "verify", "-attime", String.valueOf(clock.instant().getEpochSecond()),
        "-crl_check", "-CRLfile", crlPem.toString(), "-CAfile",
        root.toString(), "-untrusted", issuer.toString(), leaf.toString()).output();
  }

  /** {@code openssl ocsp} against the service's responder, the response checked up to the root. */
  private String opensslOcsp(ReferenceServer node, Path root, Path issuer, Path leaf) {
    return ExternalTools.run(work, "openssl", "ocsp", "-issuer", issuer.toString(), "-cert", leaf.toString(),
        "-url", node.pkiUrl() + "/pki/ocsp", "-CAfile", root.toString(), "-verify_other", issuer.toString(),
        "-attime", String.valueOf(clock.instant().getEpochSecond()), "-validity_period", "3600").output();
  }

  private static X509Certificate read(Path pem) throws Exception {
    try (var in = Files.newInputStream(pem)) {
      return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
