package org.opendsm.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.internal.Dss;
import org.opendsm.testing.MutableClock;
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
  private static String clientSecret;
  private static final Map<String, String> CREDENTIALS = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    server = ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(0).withDataDirectory(dir)
        .withAdminToken(Secret.of("admin-test-token")), CLOCK);
    http = org.opendsm.testing.TrustingHttp.browser(server.tlsCertificate());
    JsonNode client = post("/admin/clients", "admin-test-token",
        Map.of("clientId", "bank", "name", "Example Bank", "redirectUris", List.of("https://bank.example/cb"))).body;
    clientSecret = client.get("clientSecret").asText();
    token = form("/oauth2/token", "grant_type=client_credentials&client_id=bank&client_secret="
        + clientSecret).body.get("access_token").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Reply(int status, JsonNode body) {}

  @Test
  void readiness_metrics_andTheTimestampedAuditHead() throws Exception {
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ready.body()).get("checks").toString()).contains("\"database\":\"UP\"");
    post("/csc/v2/info", null, Map.of());

    assertThat(get("/metrics").statusCode()).isEqualTo(401);
    String metrics = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics"))
        .header("Authorization", "Bearer admin-test-token").GET().build(), HttpResponse.BodyHandlers.ofString()).body();

    assertThat(metrics).contains("dsm_http_requests_seconds_bucket").contains("dsm_security_events_total");
    assertThat(server.verifyAudit()).isEmpty();
  }

  @Test
  void info_answersAnEmptyPost() throws Exception {
    Reply r = post("/csc/v2/info", null, Map.of());

    assertThat(r.status).isEqualTo(200);
    assertThat(r.body.get("specs").asText()).isEqualTo("2.0.0.2");
    assertThat(r.body.get("methods").toString()).contains("signatures/signHash");
    assertThat(r.body.get("oauth2").asText()).isEqualTo(server.baseUrl().toString());
  }

  @Test
  void enrolAuthorizeSignHash_signaturesVerifyAgainstTheIssuedCertificate() throws Exception {
    byte[] seed = enrol("alice", "explicit");
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
  void oauth2CodeFlow_throughTheLoginPage_authorisesExactlyTheHashes() throws Exception {
    byte[] seed = enrol("carol");
    String credential = CREDENTIALS.get("carol");
    assertThat(post("/csc/v2/credentials/list", token, Map.of("userID", "carol")).body.get("credentialIDs"))
        .as("a client-only token sees no oauth2code user's credentials").isEmpty();
    byte[] digest = DigestAlgorithm.SHA256.digest("loan contract".getBytes());
    String verifier = "verifier-" + "x".repeat(40);

    HttpResponse<String> page = get(authorizeUrl(credential, digest, s256(verifier), "S256", REDIRECT));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> v.contains("default-src 'none'"));
    assertThat(page.body()).contains("Example Bank").contains("1 document").doesNotContain(PASSWORD);
    String handle = page.body().replaceAll("(?s).*name=\"request\" value=\"([^\"]+)\".*", "$1");

    HttpResponse<String> wrong = postForm("/oauth2/authorize", Map.of("request", handle, "user", "carol",
        "password", "not the password", "otp", code(seed), "action", "approve"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("Invalid password or one-time code");
    CLOCK.advance(Duration.ofSeconds(30));
    HttpResponse<String> approved = postForm("/oauth2/authorize", Map.of("request", handle, "user", "carol",
        "password", PASSWORD, "otp", code(seed), "action", "approve"));
    assertThat(approved.statusCode()).isEqualTo(302);
    String location = approved.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(REDIRECT + "?code=").endsWith("&state=st4te");
    String code = java.net.URLDecoder.decode(location.replaceAll(".*code=([^&]+).*", "$1"), java.nio.charset.StandardCharsets.UTF_8);

    String exchange = "grant_type=authorization_code&client_id=bank&client_secret=" + clientSecret + "&code="
        + java.net.URLEncoder.encode(code, java.nio.charset.StandardCharsets.UTF_8) + "&redirect_uri="
        + java.net.URLEncoder.encode(REDIRECT, java.nio.charset.StandardCharsets.UTF_8) + "&code_verifier=";
    assertThat(form("/oauth2/token", exchange + "wrong-verifier").body.get("error").asText()).isEqualTo("invalid_grant");
    // The code was spent by the failed attempt too: codes work once, whatever happens.
    assertThat(form("/oauth2/token", exchange + verifier).body.get("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  void oauth2CodeFlow_tokenSignsTheAuthorisedHashAsBearer() throws Exception {
    byte[] seed = enrol("dave");
    String credential = CREDENTIALS.get("dave");
    byte[] digest = DigestAlgorithm.SHA256.digest("dave's contract".getBytes());
    String verifier = "another-verifier-" + "y".repeat(40);
    String page = get(authorizeUrl(credential, digest, s256(verifier), "S256", REDIRECT)).body();
    String handle = page.replaceAll("(?s).*name=\"request\" value=\"([^\"]+)\".*", "$1");
    String location = postForm("/oauth2/authorize", Map.of("request", handle, "user", "dave", "password", PASSWORD,
        "otp", code(seed), "action", "approve")).headers().firstValue("Location").orElseThrow();
    String code = java.net.URLDecoder.decode(location.replaceAll(".*code=([^&]+).*", "$1"), java.nio.charset.StandardCharsets.UTF_8);
    JsonNode tokenReply = form("/oauth2/token", "grant_type=authorization_code&client_id=bank&client_secret="
        + clientSecret + "&code=" + java.net.URLEncoder.encode(code, java.nio.charset.StandardCharsets.UTF_8)
        + "&redirect_uri=" + java.net.URLEncoder.encode(REDIRECT, java.nio.charset.StandardCharsets.UTF_8)
        + "&code_verifier=" + verifier).body;
    String credentialToken = tokenReply.get("access_token").asText();
    JsonNode info = post("/csc/v2/credentials/info", credentialToken, Map.of("credentialID", credential)).body;

    Reply signed = post("/csc/v2/signatures/signHash", credentialToken, Map.of("credentialID", credential,
        "hashes", List.of(Base64.getEncoder().encodeToString(digest)), "signAlgo", "1.2.840.10045.2.1",
        "hashAlgorithmOID", DigestAlgorithm.SHA256.oid()));

    assertThat(signed.status).as(signed.body.toString()).isEqualTo(200);
    assertThat(tokenReply.get("expires_in").asInt()).isEqualTo(300);
    X509Certificate cert = Dss.parseCertificate(Base64.getDecoder().decode(info.get("cert").get("certificates").get(0).asText()));
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(cert);
    v.update("dave's contract".getBytes());
    assertThat(v.verify(Base64.getDecoder().decode(signed.body.get("signatures").get(0).asText()))).isTrue();
    assertThat(info.get("auth").get("mode").asText()).isEqualTo("oauth2code");
    Reply explicit = post("/csc/v2/credentials/authorize", token, Map.of("credentialID", credential,
        "numSignatures", 1, "hashes", List.of(Base64.getEncoder().encodeToString(digest)),
        "hashAlgorithmOID", DigestAlgorithm.SHA256.oid(),
        "authData", List.of(Map.of("id", "PIN", "value", PASSWORD), Map.of("id", "OTP", "value", "000000"))));
    assertThat(explicit.status).isEqualTo(400);
    assertThat(explicit.body.get("error_description").asText()).isEqualTo("Invalid parameter credentialID");
  }

  @Test
  void serviceScopeLogin_givesARotatingRefreshToken_andRevokingItRevokesItsAccessTokens() throws Exception {
    byte[] seed = enrol("erin");
    String verifier = "service-verifier-" + "z".repeat(40);
    String url = "/oauth2/authorize?response_type=code&client_id=bank&scope=service&redirect_uri="
        + java.net.URLEncoder.encode(REDIRECT, java.nio.charset.StandardCharsets.UTF_8)
        + "&code_challenge=" + s256(verifier) + "&code_challenge_method=S256&state=s";
    String page = get(url).body();
    assertThat(page).contains("asks you to sign in");
    String handle = page.replaceAll("(?s).*name=\"request\" value=\"([^\"]+)\".*", "$1");
    String location = postForm("/oauth2/authorize", Map.of("request", handle, "user", "erin", "password", PASSWORD,
        "otp", code(seed), "action", "approve")).headers().firstValue("Location").orElseThrow();
    String code = java.net.URLDecoder.decode(location.replaceAll(".*code=([^&]+).*", "$1"), java.nio.charset.StandardCharsets.UTF_8);
    String auth = "client_id=bank&client_secret=" + clientSecret;
    JsonNode first = form("/oauth2/token", "grant_type=authorization_code&" + auth + "&code="
        + java.net.URLEncoder.encode(code, java.nio.charset.StandardCharsets.UTF_8) + "&redirect_uri="
        + java.net.URLEncoder.encode(REDIRECT, java.nio.charset.StandardCharsets.UTF_8) + "&code_verifier=" + verifier).body;
    String userToken = first.get("access_token").asText();
    assertThat(post("/csc/v2/credentials/list", userToken, Map.of()).body.get("credentialIDs")).hasSize(1);
    Reply explicit = post("/csc/v2/credentials/authorize", userToken, Map.of("credentialID", CREDENTIALS.get("erin"),
        "numSignatures", 1, "hashes", List.of(Base64.getEncoder().encodeToString(new byte[32])),
        "hashAlgorithmOID", DigestAlgorithm.SHA256.oid(),
        "authData", List.of(Map.of("id", "PIN", "value", PASSWORD), Map.of("id", "OTP", "value", "000000"))));
    assertThat(explicit.body.get("error_description").asText()).startsWith("credentials/authorize is not available");

    JsonNode second = form("/oauth2/token", "grant_type=refresh_token&" + auth + "&refresh_token="
        + first.get("refresh_token").asText()).body;
    assertThat(second.get("refresh_token").asText()).isNotEqualTo(first.get("refresh_token").asText());
    assertThat(form("/oauth2/token", "grant_type=refresh_token&" + auth + "&refresh_token="
        + first.get("refresh_token").asText()).body.get("error").asText()).isEqualTo("invalid_grant");

    form("/oauth2/revoke", auth + "&token=" + second.get("refresh_token").asText());
    assertThat(post("/csc/v2/credentials/list", second.get("access_token").asText(), Map.of()).status).isEqualTo(401);
  }

  @Test
  void authorize_withUnregisteredRedirect_showsAnErrorPage_andNeverRedirects() throws Exception {
    HttpResponse<String> r = get(authorizeUrl("c", new byte[32], s256("v".repeat(43)), "S256", "https://evil.example/cb"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Location")).isEmpty();
    assertThat(r.body()).contains("redirect address is not registered");
  }

  @Test
  void authorize_withoutS256Pkce_redirectsWithInvalidRequest() throws Exception {
    HttpResponse<String> r = get(authorizeUrl("c", new byte[32], "plain-challenge", "plain", REDIRECT));

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT + "?error=invalid_request");
  }

  @Test
  void cancel_returnsAccessDenied() throws Exception {
    String page = get(authorizeUrl("c", new byte[32], s256("v".repeat(43)), "S256", REDIRECT)).body();
    String handle = page.replaceAll("(?s).*name=\"request\" value=\"([^\"]+)\".*", "$1");

    HttpResponse<String> r = postForm("/oauth2/authorize", Map.of("request", handle, "action", "cancel"));

    assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT + "?error=access_denied")
        .endsWith("&state=st4te");
  }

  @Test
  void richAuthorizationRequest_listsTheDocumentLabelsEscaped_on100Documents() throws Exception {
    StringBuilder docs = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      docs.append(i == 0 ? "" : ",").append("{\"hash\":\"").append(Base64.getEncoder().encodeToString(
          DigestAlgorithm.SHA256.digest(new byte[] {(byte) i}))).append("\",\"label\":\"")
          .append(i == 0 ? "<script>alert(1)</script>" : "contract-" + i + ".pdf").append("\"}");
    }
    String details = "[{\"type\":\"credential\",\"credentialID\":\"c\",\"hashAlgorithmOID\":\""
        + DigestAlgorithm.SHA256.oid() + "\",\"documentDigests\":[" + docs + "]}]";
    String url = "/oauth2/authorize?response_type=code&client_id=bank&redirect_uri="
        + java.net.URLEncoder.encode(REDIRECT, java.nio.charset.StandardCharsets.UTF_8) + "&authorization_details="
        + java.net.URLEncoder.encode(details, java.nio.charset.StandardCharsets.UTF_8) + "&code_challenge="
        + s256("v".repeat(43)) + "&code_challenge_method=S256";

    HttpResponse<String> page = get(url);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("100 documents").contains("<li>contract-99.pdf</li>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
  }

  private static final String REDIRECT = "https://bank.example/cb";

  private static String authorizeUrl(String credential, byte[] digest, String challenge, String method, String redirect) {
    String enc = java.net.URLEncoder.encode(redirect, java.nio.charset.StandardCharsets.UTF_8);
    return "/oauth2/authorize?response_type=code&client_id=bank&redirect_uri=" + enc + "&scope=credential"
        + "&credentialID=" + credential + "&numSignatures=1&hashes="
        + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + "&hashAlgorithmOID="
        + DigestAlgorithm.SHA256.oid() + "&code_challenge=" + challenge + "&code_challenge_method=" + method
        + "&state=st4te";
  }

  private static String s256(String verifier) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(DigestAlgorithm.SHA256.digest(verifier.getBytes()));
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> postForm(String path, Map<String, String> fields) throws Exception {
    StringBuilder body = new StringBuilder();
    fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
        .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
    return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void replayedCode_isRefused() throws Exception {
    byte[] seed = enrol("bob", "explicit");
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
    Reply wrongType = raw("/csc/v2/signatures/signHash", token, "{\"credentialID\":\"x\",\"hashes\":\"not-a-list\"}");
    assertThat(wrongType.status).isEqualTo(400);
    assertThat(wrongType.body.get("error_description").asText())
        .isEqualTo("Malformed JSON body, or a parameter of the wrong type");
    Reply big = raw("/csc/v2/info", null, "{\"lang\":\"" + "x".repeat(300_000) + "\"}");
    assertThat(big.status).isEqualTo(413);
  }

  private static byte[] enrol(String user) throws Exception {
    return enrol(user, "oauth2code");
  }

  private static byte[] enrol(String user, String authMode) throws Exception {
    String code = post("/admin/users", "admin-test-token", Map.of("userId", user, "displayName", "User " + user,
        "authMode", authMode)).body.get("enrolmentCode").asText();
    JsonNode setup = post("/enrol/begin", null, Map.of("code", code, "password", PASSWORD)).body;
    String secret = setup.get("secret").asText();
    byte[] seed = Base32.decode(secret + "=".repeat((8 - secret.length() % 8) % 8));
    Reply done = post("/enrol/complete", null, Map.of("code", code, "password", PASSWORD, "otp", code(seed)));
    assertThat(done.status).as(done.body.toString()).isEqualTo(201);
    CREDENTIALS.put(user, done.body.get("credentialID").asText());
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
    return new Reply(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
  }
}
