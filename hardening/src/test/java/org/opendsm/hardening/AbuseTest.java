package org.opendsm.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.client.DsmClient;
import org.opendsm.client.RemoteSigningException;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.ServerConfig;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.AdminApi;
import org.opendsm.testing.MutableClock;
import org.opendsm.testing.TrustingHttp;

/**
 * What attackers try against the public endpoints, each refused with the API's own error and
 * without side effects: guessing and brute force, malformed and hostile bodies, slow clients.
 */
class AbuseTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final MutableClock CLOCK = new MutableClock(Instant.now());
  @TempDir static Path dir;
  private static ReferenceServer node;
  private static AdminApi admin;
  private static DsmClient client;
  private static HttpClient http;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    node = ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(0).withDataDirectory(dir)
        .withAdminToken(Secret.of(Cluster.ADMIN_TOKEN)), CLOCK);
    admin = new AdminApi(node.baseUrl(), node.tlsCertificate(), Cluster.ADMIN_TOKEN);
    Secret secret = Cluster.register(admin, "bank");
    client = Cluster.client(node.baseUrl(), node.tlsCertificate(), "bank", secret);
    http = TrustingHttp.client(node.tlsCertificate());
    token = Cluster.serviceToken(http, node.baseUrl(), "bank", secret);
  }

  @AfterAll
  static void stop() {
    client.close();
    node.close();
  }

  @Test
  void aTotpBruteForce_locksTheCredential_soTheRightCodeIsRefusedToo() {
    Cluster.User u = enrol("otp-guesser");
    String right = u.code(CLOCK);
    for (int i = 0; i < Accounts.MAX_FAILURES; i++) {
      String guess = String.format("%06d", (Integer.parseInt(right) + 1 + i) % 1_000_000);
      RemoteSigningException e = catchThrowableOfType(RemoteSigningException.class, () -> authorize(u, guess));
      // the same answer for every wrong guess; the one that reaches the limit says so
      assertThat(e.getMessage()).isEqualTo(i < Accounts.MAX_FAILURES - 1 ? "Invalid password or one-time code"
          : "Credential locked: too many failed attempts, try again later");
    }

    RemoteSigningException locked = catchThrowableOfType(RemoteSigningException.class, () -> authorize(u, right));

    assertThat(locked.getMessage()).startsWith("Credential locked");
  }

  @Test
  void aLoginAsAnUnknownUser_costsTheSameArgon2Work_andReadsTheSame_asAWrongPassword() throws Exception {
    Cluster.enrol(admin, "known", CLOCK);
    admin.post("/admin/clients", Map.of("clientId", "login-test", "name", "Login test",
        "redirectUris", List.of("https://login.example/cb")));
    HttpClient browser = TrustingHttp.browser(node.tlsCertificate());

    double start = derivations();
    String knownPage = wrongLogin(browser, "known");
    double known = derivations() - start;
    String unknownPage = wrongLogin(browser, "nobody-" + randomToken().substring(0, 8));
    double unknown = derivations() - start - known;

    assertThat(known).as("password derivations for a known user").isEqualTo(1);
    assertThat(unknown).as("the same for one that does not exist").isEqualTo(known);
    assertThat(message(unknownPage)).isEqualTo(message(knownPage)).isNotEmpty();
  }

  /** One login attempt on the authorization page with a wrong password; the page that comes back. */
  private static String wrongLogin(HttpClient browser, String user) throws Exception {
    String verifier = "v".repeat(43);
    String page = browser.send(HttpRequest.newBuilder(URI.create(node.baseUrl()
        + "/oauth2/authorize?response_type=code&client_id=login-test&scope=service"
        + "&redirect_uri=https%3A%2F%2Flogin.example%2Fcb&state=s&code_challenge_method=S256&code_challenge="
        + Base64.getUrlEncoder().withoutPadding().encodeToString(DigestAlgorithm.SHA256.digest(verifier.getBytes()))))
        .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    String handle = page.replaceAll("(?s).*name=\"request\" value=\"([^\"]+)\".*", "$1");
    String form = "request=" + java.net.URLEncoder.encode(handle, StandardCharsets.UTF_8) + "&user=" + user
        + "&password=not+the+passphrase&otp=123456&action=approve";
    return browser.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/oauth2/authorize"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The error the login page shows. */
  private static String message(String page) {
    var m = java.util.regex.Pattern.compile("(?s)class=\"error\"[^>]*>(.*?)<").matcher(page);
    return m.find() ? m.group(1).trim() : "";
  }

  /** How many password derivations (Argon2id) the server has run, from its metrics. */
  private static double derivations() throws Exception {
    String metrics = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/metrics"))
        .header("Authorization", "Bearer " + Cluster.ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString())
        .body();
    var m = java.util.regex.Pattern.compile("(?m)^dsm_password_derivation_seconds_count(?:\\{[^}]*\\})? (\\S+)$")
        .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void guessedBearerTokens_areRefused() throws Exception {
    for (String path : List.of("/csc/v2/credentials/list", "/csc/v2/signatures/signHash", "/csc/v2/signatures/timestamp")) {
      HttpResponse<String> r = send(path, "application/json", randomToken(), "{}");
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("invalid_token");
    }
  }

  @Test
  void aGuessedSad_isRefused_andTheRealOneStillWorks() {
    Cluster.User u = enrol("sad-guesser");
    List<byte[]> digests = List.of(DigestAlgorithm.SHA256.digest("real".getBytes()));
    String sad = authorize(u, u.code(CLOCK));

    for (int i = 0; i < 20; i++) {
      String guess = randomToken();
      RemoteSigningException e = catchThrowableOfType(RemoteSigningException.class,
          () -> client.signHash(u.credentialId(), guess, SignatureAlgorithm.ECDSA_SHA256, digests));
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.getMessage()).isEqualTo("Invalid SAD");
    }

    Cluster.assertSignedBy(client, u, digests.get(0),
        client.signHash(u.credentialId(), sad, SignatureAlgorithm.ECDSA_SHA256, digests).get(0));
  }

  @Test
  void aGuessedAuthorizationCode_isRefused() throws Exception {
    HttpResponse<String> r = send("/oauth2/token", "application/x-www-form-urlencoded", null,
        "grant_type=authorization_code&client_id=bank&code=" + randomToken()
            + "&redirect_uri=https%3A%2F%2Fbank.example%2Fcb&code_verifier=" + "v".repeat(43));

    assertThat(r.statusCode()).isIn(400, 401);
    assertThat(JSON.readTree(r.body()).get("error").asText()).isIn("invalid_grant", "invalid_client");
  }

  @Test
  void anAuthorizationRequestWithoutPkce_isRefused() throws Exception {
    admin.post("/admin/clients", Map.of("clientId", "portal", "name", "Portal",
        "redirectUris", List.of("https://portal.example/cb")));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl()
        + "/oauth2/authorize?response_type=code&client_id=portal&scope=service"
        + "&redirect_uri=https%3A%2F%2Fportal.example%2Fcb&state=s")).GET().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location").orElseThrow())
        .startsWith("https://portal.example/cb?error=invalid_request");
  }

  @Test
  void deeplyNestedJson_getsTheCscError_notAServerError() throws Exception {
    int depth = 100_000;
    String arrays = "[".repeat(depth) + "]".repeat(depth);
    String objects = "{\"a\":".repeat(depth / 10) + "1" + "}".repeat(depth / 10);

    for (String body : List.of(arrays, objects, "{\"credentialID\":" + arrays.substring(0, 20_000) + "}")) {
      HttpResponse<String> r = send("/csc/v2/credentials/list", "application/json", token, body);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("invalid_request");
    }
  }

  @Test
  void aBodyThatNeverArrives_isCutOff_whileOthersAreServed() throws Exception {
    var context = TrustingHttp.sslContext(node.tlsCertificate());
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", node.baseUrl().getPort())) {
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write(("POST /csc/v2/credentials/list HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1000\r\n\r\n{\"userID\":").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Instant sent = Instant.now();

      assertThat(send("/csc/v2/info", "application/json", null, "{}").statusCode())
          .as("the server answers others meanwhile").isEqualTo(200);
      socket.setSoTimeout(60_000);
      InputStream in = socket.getInputStream();
      byte[] answer = in.readAllBytes(); // until the server closes the connection
      Duration held = Duration.between(sent, Instant.now());

      assertThat(held).as("the stalled request is dropped by the idle timeout").isLessThan(Duration.ofSeconds(50));
      String text = new String(answer, StandardCharsets.US_ASCII);
      assertThat(text).doesNotContain("HTTP/1.1 200").doesNotContain("HTTP/1.1 500");
    }
  }

  private static Cluster.User enrol(String id) {
    Cluster.User u = Cluster.enrol(admin, id, CLOCK);
    CLOCK.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    return u;
  }

  private static String authorize(Cluster.User u, String code) {
    List<byte[]> digests = List.of(DigestAlgorithm.SHA256.digest("real".getBytes()));
    try (Secret password = Secret.of(Cluster.PASSWORD); Secret otp = Secret.of(code)) {
      return client.authorize(u.credentialId(), DigestAlgorithm.SHA256, digests, password, otp).sad();
    }
  }

  private static String randomToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static HttpResponse<String> send(String path, String type, String bearer, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).header("Content-Type", type)
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
