package org.opendsm.examples.bank;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.Test;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.client.DsmClient;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.ServerConfig;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.AdminApi;
import org.opendsm.testing.MutableClock;
import org.opendsm.testing.TrustingHttp;

/**
 * A full session — enrolment, explicit-mode signing through the CSC API, an OpenID Connect login
 * and an OAuth2 signature through the example bank, logout — with everything the server, the
 * bank and the libraries log captured, then searched for every secret the session used:
 * passwords, one-time and enrolment codes, the client secret and the admin token, SADs,
 * authorization codes, session cookies, and any private key.
 */
class LogHygieneTest {
  private static final String ADMIN = "log-hygiene-admin-token-7f3a";
  private static final String PASSWORD = "Hanna guards the lighthouse keys";
  private static final MutableClock CLOCK = new MutableClock(Instant.now().minus(Duration.ofMinutes(2)));
  private final List<String> secrets = new ArrayList<>(List.of(ADMIN, PASSWORD));

  @Test
  void noSecretOfAFullSession_appearsInAnyLogLine() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
    try {
      session();
    } finally {
      System.setErr(original);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).as("the session was logged at all").contains("org.opendsm.server.access");
    for (String secret : secrets) {
      assertThat(logs).as("a secret of %d characters in the logs", secret.length()).doesNotContain(secret);
    }
    assertThat(logs).doesNotContain("PRIVATE KEY").doesNotContain("password=").doesNotContain("otp=");
  }

  private void session() throws Exception {
    try (ReferenceServer server = ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(0)
        .withDataDirectory(Files.createTempDirectory("dsm-logs")).withAdminToken(Secret.of(ADMIN)), CLOCK)) {
      AdminApi admin = new AdminApi(server.baseUrl(), server.tlsCertificate(), ADMIN);
      int port;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        port = s.getLocalPort();
      }
      String base = "http://localhost:" + port;
      String clientSecret = admin.post("/admin/clients", Map.of("clientId", "bank", "name", "Bank", "redirectUris",
          List.of(base + "/callback", base + "/signed", base + "/"))).get("clientSecret").asText();
      secrets.add(clientSecret);

      // Explicit mode: enrol, authorise, sign through the CSC API.
      byte[] explicitSeed = enrol(admin, "ivo", "explicit");
      try (DsmClient client = DsmClient.builder().baseUrl(server.baseUrl()).clientId("bank")
          .clientSecret(Secret.of(clientSecret)).trust(server.tlsCertificate()).build()) {
        String credential = client.listCredentials("ivo").credentialIDs().get(0);
        byte[] digest = DigestAlgorithm.SHA256.digest("statement".getBytes(StandardCharsets.UTF_8));
        String otp = code(explicitSeed);
        String sad = client.authorize(credential, DigestAlgorithm.SHA256, List.of(digest), Secret.of(PASSWORD),
            Secret.of(otp)).sad();
        secrets.add(sad);
        client.signHash(credential, sad, SignatureAlgorithm.ECDSA_SHA256, List.of(digest));
      }

      // OAuth2 mode through the bank: OpenID Connect login, then a signature with a fresh code.
      byte[] seed = enrol(admin, "hanna", null);
      try (BankApp bank = BankApp.start(new BankApp.Settings(server.baseUrl(), server.tlsCertificate(),
          List.of(server.rootCertificate()), "bank", Secret.of(clientSecret), port))) {
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies)
            .sslContext(TrustingHttp.sslContext(server.tlsCertificate())).build();
        HttpResponse<String> page = get(browser, location(get(browser, base + "/login"), base));
        HttpResponse<String> back = post(browser, server.baseUrl() + "/oauth2/authorize", Map.of("request",
            handle(page.body()), "user", "hanna", "password", PASSWORD, "otp", code(seed), "action", "approve"));
        collectCode(location(back, base));
        get(browser, location(back, base));
        String home = get(browser, base + "/").body();
        HttpResponse<String> confirm = post(browser, base + "/contract", Map.of("csrf", field(home, "csrf")));
        String approve = confirm.body().replaceAll("(?s).*id=\"approve\" href=\"([^\"]+)\".*", "$1")
            .replace("&#61;", "=").replace("&amp;", "&");
        HttpResponse<String> signing = get(browser, approve);
        HttpResponse<String> approved = post(browser, server.baseUrl() + "/oauth2/authorize", Map.of("request",
            handle(signing.body()), "mode", "session", "otp", code(seed), "action", "approve"));
        collectCode(location(approved, base));
        get(browser, location(approved, base));
        assertThat(get(browser, base + "/").body()).contains("TOTAL_PASSED");
        cookies.getCookieStore().getCookies().forEach(c -> secrets.add(c.getValue()));
        get(browser, location(post(browser, base + "/logout", Map.of("csrf", field(get(browser, base + "/").body(),
            "csrf"))), base));
      }
    }
  }

  private byte[] enrol(AdminApi admin, String user, String authMode) {
    Map<String, Object> body = authMode == null ? Map.of("userId", user, "displayName", "User " + user)
        : Map.of("userId", user, "displayName", "User " + user, "authMode", authMode);
    String code = admin.post("/admin/users", body).get("enrolmentCode").asText();
    secrets.add(code);
    String totp = admin.post("/enrol/begin", Map.of("code", code, "password", PASSWORD)).get("secret").asText();
    secrets.add(totp);
    byte[] seed = Base32.decode(totp + "=".repeat((8 - totp.length() % 8) % 8));
    admin.post("/enrol/complete", Map.of("code", code, "password", PASSWORD, "otp", code(seed)));
    return seed;
  }

  /** A fresh code; kept as a secret to look for (six digits are specific enough in these logs). */
  private String code(byte[] seed) {
    CLOCK.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    String code = Totp.code(seed, Totp.step(CLOCK.instant()));
    secrets.add("otp" + code);
    secrets.add("\"" + code + "\"");
    return code;
  }

  private void collectCode(String location) {
    for (String pair : URI.create(location).getRawQuery().split("&")) {
      if (pair.startsWith("code=")) {
        secrets.add(java.net.URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8));
      }
    }
  }

  private static HttpResponse<String> get(HttpClient browser, String url) throws Exception {
    return browser.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(HttpClient browser, String url, Map<String, String> fields)
      throws Exception {
    StringBuilder form = new StringBuilder();
    fields.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return browser.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type",
        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String location(HttpResponse<String> r, String base) {
    String l = r.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
        "No redirect (" + r.statusCode() + "): " + r.body()));
    return l.startsWith("/") ? base + l : l;
  }

  private static String handle(String html) {
    return field(html, "request");
  }

  private static String field(String html, String name) {
    return html.replaceAll("(?s).*name=\"" + name + "\" value=\"([^\"]+)\".*", "$1");
  }

  /** Writes to the console and to the capture. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }
}
