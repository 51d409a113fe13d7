package org.opendsm.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.internal.Dss;
import org.opendsm.server.internal.MutableClock;
import org.opendsm.server.internal.crypto.Totp;

/** The server as a client sees it: HTTPS on port 0, plain HTTP calls, CSC JSON. */
class ReferenceServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "a long signing passphrase";
  @TempDir static Path dir;
  private static final MutableClock CLOCK = new MutableClock(java.time.Instant.now());
  private static ReferenceServer server;
  private static HttpClient http;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    server = ReferenceServer.start(ServerConfig.defaults().withPort(0).withDataDirectory(dir)
        .withAdminToken(Secret.of("admin-test-token")), CLOCK);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", server.tlsCertificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
    JsonNode client = post("/admin/clients", "admin-test-token",
        Map.of("clientId", "bank", "name", "Example Bank", "redirectUris", List.of("https://bank.example/cb"))).body;
    token = form("/oauth2/token", "grant_type=client_credentials&client_id=bank&client_secret="
        + client.get("clientSecret").asText()).body.get("access_token").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Reply(int status, JsonNode body) {}

  @Test
  void info_answersAnEmptyPost() throws Exception {
    Reply r = post("/csc/v2/info", null, Map.of());

    assertThat(r.status).isEqualTo(200);
    assertThat(r.body.get("specs").asText()).isEqualTo("2.0.0.2");
    assertThat(r.body.get("methods").toString()).contains("signatures/signHash");
  }

  @Test
  void enrolAuthorizeSignHash_signaturesVerifyAgainstTheIssuedCertificate() throws Exception {
    byte[] seed = enrol("alice");
    JsonNode list = post("/csc/v2/credentials/list", token,
        Map.of("userID", "alice", "credentialInfo", true, "certificates", "chain", "certInfo", true)).body;
    String credential = list.get("credentialIDs").get(0).asText();
    JsonNode info = list.get("credentialInfos").get(0);
    X509Certificate cert = Dss.parseCertificate(Base64.getDecoder().decode(info.get("cert").get("certificates").get(0).asText()));
    assertThat(info.get("SCAL").asText()).isEqualTo("2");
    assertThat(info.get("cert").get("certificates")).hasSize(3);

    byte[] digest = DigestAlgorithm.SHA256.digest("contract".getBytes());
    String hash = Base64.getEncoder().encodeToString(digest);
    JsonNode auth = post("/csc/v2/credentials/authorize", token, Map.of("credentialID", credential,
        "numSignatures", 1, "hashes", List.of(hash), "hashAlgorithmOID", DigestAlgorithm.SHA256.oid(),
        "authData", List.of(Map.of("id", "PIN", "value", PASSWORD), Map.of("id", "OTP", "value", code(seed))))).body;
    Reply signed = post("/csc/v2/signatures/signHash", token, Map.of("credentialID", credential,
        "SAD", auth.get("SAD").asText(), "hashes", List.of(hash), "hashAlgorithmOID", DigestAlgorithm.SHA256.oid(),
        "signAlgo", "1.2.840.10045.4.3.2"));

    assertThat(signed.status).as(signed.body.toString()).isEqualTo(200);
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(cert);
    v.update("contract".getBytes());
    assertThat(v.verify(Base64.getDecoder().decode(signed.body.get("signatures").get(0).asText()))).isTrue();
    Reply again = post("/csc/v2/signatures/signHash", token, Map.of("credentialID", credential,
        "SAD", auth.get("SAD").asText(), "hashes", List.of(hash), "hashAlgorithmOID", DigestAlgorithm.SHA256.oid(),
        "signAlgo", "1.2.840.10045.4.3.2"));
    assertThat(again.status).isEqualTo(400);
    assertThat(again.body.get("error_description").asText()).isEqualTo("SAD already used");
    assertThat(server.verifyAudit()).isEmpty();
  }

  @Test
  void timestamp_returnsATokenOverTheHash_signedByTheServerTsa() throws Exception {
    byte[] digest = DigestAlgorithm.SHA256.digest("data".getBytes());
    Reply r = post("/csc/v2/signatures/timestamp", token, Map.of("hash", Base64.getEncoder().encodeToString(digest),
        "hashAlgorithmOID", DigestAlgorithm.SHA256.oid()));

    assertThat(r.status).as(r.body.toString()).isEqualTo(200);
    var tst = new org.bouncycastle.tsp.TimeStampToken(new org.bouncycastle.cms.CMSSignedData(
        Base64.getDecoder().decode(r.body.get("timestamp").asText())));
    assertThat(tst.getTimeStampInfo().getMessageImprintDigest()).isEqualTo(digest);
    var tsaCert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
        (org.bouncycastle.cert.X509CertificateHolder) tst.getCertificates().getMatches(tst.getSID()).iterator().next());
    tsaCert.verify(server.issuingCaCertificate().getPublicKey());
  }

  @Test
  void replayedCode_isRefused() throws Exception {
    byte[] seed = enrol("bob");
    String credential = post("/csc/v2/credentials/list", token, Map.of("userID", "bob")).body
        .get("credentialIDs").get(0).asText();
    String hash = Base64.getEncoder().encodeToString(DigestAlgorithm.SHA256.digest(new byte[] {7}));
    Map<String, Object> request = Map.of("credentialID", credential, "numSignatures", 1, "hashes", List.of(hash),
        "hashAlgorithmOID", DigestAlgorithm.SHA256.oid(),
        "authData", List.of(Map.of("id", "PIN", "value", PASSWORD), Map.of("id", "OTP", "value", code(seed))));

    assertThat(post("/csc/v2/credentials/authorize", token, request).status).isEqualTo(200);
    Reply replay = post("/csc/v2/credentials/authorize", token, request);
    assertThat(replay.status).isEqualTo(400);
    assertThat(replay.body.get("error_description").asText()).isEqualTo("Invalid password or one-time code");
  }

  @Test
  void badInput_getsTheCscErrorJson() throws Exception {
    assertThat(raw("/csc/v2/credentials/list", token, "{not json").body.get("error").asText()).isEqualTo("invalid_request");
    Reply noToken = post("/csc/v2/credentials/list", null, Map.of("userID", "alice"));
    assertThat(noToken.status).isEqualTo(401);
    assertThat(noToken.body.get("error").asText()).isEqualTo("invalid_token");
    Reply unknown = post("/csc/v2/credentials/info", token, Map.of("credentialID", "no-such-credential"));
    assertThat(unknown.status).isEqualTo(400);
    assertThat(unknown.body.get("error_description").asText()).isEqualTo("Invalid parameter credentialID");
    Reply sha1 = post("/csc/v2/signatures/signHash", token, Map.of("credentialID", "x", "SAD", "y",
        "hashes", List.of("AA=="), "signAlgo", "1.2.840.10045.2.1", "hashAlgorithmOID", "1.3.14.3.2.26"));
    assertThat(sha1.status).isEqualTo(400);
    Reply big = raw("/csc/v2/info", null, "{\"lang\":\"" + "x".repeat(300_000) + "\"}");
    assertThat(big.status).isEqualTo(413);
  }

  private static byte[] enrol(String user) throws Exception {
    String code = post("/admin/users", "admin-test-token", Map.of("userId", user, "displayName", "User " + user)).body
        .get("enrolmentCode").asText();
    JsonNode setup = post("/enrol/begin", null, Map.of("code", code, "password", PASSWORD)).body;
    String secret = setup.get("secret").asText();
    byte[] seed = Base32.decode(secret + "=".repeat((8 - secret.length() % 8) % 8));
    Reply done = post("/enrol/complete", null, Map.of("code", code, "password", PASSWORD, "otp", code(seed)));
    assertThat(done.status).as(done.body.toString()).isEqualTo(201);
    CLOCK.advance(Duration.ofSeconds(30));
    return seed;
  }

  private static String code(byte[] seed) {
    return Totp.code(seed, Totp.step(CLOCK.instant()));
  }

  private static Reply post(String path, String bearer, Object body) throws Exception {
    return raw(path, bearer, JSON.writeValueAsString(body));
  }

  private static Reply raw(String path, String bearer, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
  }

  private static Reply form(String path, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), JSON.readTree(r.body()));
  }
}
