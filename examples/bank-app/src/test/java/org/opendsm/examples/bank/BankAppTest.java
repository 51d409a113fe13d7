package org.opendsm.examples.bank;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendsm.Document;
import org.opendsm.MediaType;
import org.opendsm.Secret;
import org.opendsm.SignatureLevel;
import org.opendsm.TrustSettings;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.ServerConfig;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.AdminApi;
import org.opendsm.testing.MutableClock;
import org.opendsm.testing.SignatureAssertions;
import org.opendsm.testing.TrustingHttp;

/**
 * The example bank end to end, as a customer's browser goes through it: log in with OpenID
 * Connect on the signing service's page (password + code), sign the loan contract there with a
 * fresh code alone, download the PAdES-B-LT contract (validated by DSS with the service's root as
 * the only anchor), log out of both.
 */
class BankAppTest {
  private static final String ADMIN = "bank-test-admin-token";
  private static final String PASSWORD = "Clara borrows for a new roof";
  // Each login needs a code of a new 30 s step; the clock starts back so ID tokens stay current.
  private static final MutableClock CLOCK = new MutableClock(Instant.now().minus(Duration.ofMinutes(2)));
  private static ReferenceServer server;
  private static BankApp bank;
  private static byte[] seed;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("dsm-bank");
    server = ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(0).withDataDirectory(dir)
        .withAdminToken(Secret.of(ADMIN)), CLOCK);
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String base = "http://localhost:" + port;
    String secret = admin("/admin/clients", Map.of("clientId", "bank", "name", "Example Bank", "redirectUris",
        List.of(base + "/callback", base + "/signed", base + "/"))).get("clientSecret").asText();
    String code = admin("/admin/users", Map.of("userId", "clara", "displayName", "Clara Weber")).get("enrolmentCode")
        .asText();
    String totp = admin("/enrol/begin", Map.of("code", code, "password", PASSWORD)).get("secret").asText();
    seed = Base32.decode(totp + "=".repeat((8 - totp.length() % 8) % 8));
    admin("/enrol/complete", Map.of("code", code, "password", PASSWORD, "otp", nextCode()));
    bank = BankApp.start(new BankApp.Settings(server.baseUrl(), server.tlsCertificate(),
        List.of(server.rootCertificate()), "bank", Secret.of(secret), port));
  }

  @AfterAll
  static void stop() {
    bank.close();
    server.close();
  }

  @Test
  void logIn_signTheContractWithAFreshCode_downloadIt_andLogOut() throws Exception {
    HttpClient browser = TrustingHttp.browser(server.tlsCertificate());
    assertThat(get(browser, bank.baseUrl() + "/").body()).contains("Log in with OpenDSM");

    // Log in: the bank sends the browser to the service's page; password and code are typed there.
    HttpResponse<String> loginPage = get(browser, location(get(browser, bank.baseUrl() + "/login")));
    assertThat(loginPage.body()).contains("Example Bank").contains("name=\"password\"");
    HttpResponse<String> back = post(browser, server.baseUrl() + "/oauth2/authorize", Map.of("request",
        handle(loginPage.body()), "user", "clara", "password", PASSWORD, "otp", nextCode(), "action", "approve"));
    HttpResponse<String> callback = get(browser, location(back));
    assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
    HttpResponse<String> home = get(browser, bank.baseUrl() + "/");
    assertThat(home.body()).contains("Hello <strong>Clara Weber</strong>");

    // Sign: the bank prepares the PDF and shows the verification code the service will show.
    HttpResponse<String> confirm = post(browser, bank.baseUrl() + "/contract", Map.of("csrf", csrf(home.body())));
    assertThat(confirm.statusCode()).as(confirm.body()).isEqualTo(200);
    String code = confirm.body().replaceAll("(?s).*<span class=\"code\">([A-F0-9-]+)</span>.*", "$1");
    String approve = unescape(confirm.body().replaceAll("(?s).*id=\"approve\" href=\"([^\"]+)\".*", "$1"));
    HttpResponse<String> signingPage = get(browser, approve);
    assertThat(signingPage.body()).contains("Signed in as <strong>clara</strong>").contains(code)
        .doesNotContain("name=\"password\"");
    HttpResponse<String> approved = post(browser, server.baseUrl() + "/oauth2/authorize", Map.of("request",
        handle(signingPage.body()), "mode", "session", "otp", nextCode(), "action", "approve"));
    HttpResponse<String> signed = get(browser, location(approved));
    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(302);
    assertThat(get(browser, bank.baseUrl() + "/").body()).contains("verified").contains("TOTAL_PASSED");

    HttpResponse<byte[]> pdf = browser.send(HttpRequest.newBuilder(URI.create(bank.baseUrl() + "/loan-contract.pdf"))
        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
    SignatureAssertions.assertValid(Document.of(pdf.body(), "loan-contract-signed.pdf", MediaType.PDF),
        TrustSettings.builder().addTrustAnchor(server.rootCertificate()).build(), SignatureLevel.LT);

    // Log out: the bank's session, then the service's; the next login shows the page again.
    HttpResponse<String> out = post(browser, bank.baseUrl() + "/logout", Map.of("csrf", csrf(get(browser,
        bank.baseUrl() + "/").body())));
    HttpResponse<String> serviceLogout = get(browser, location(out));
    assertThat(location(serviceLogout)).startsWith(bank.baseUrl() + "/?state=");
    assertThat(get(browser, bank.baseUrl() + "/").body()).contains("Log in with OpenDSM");
    assertThat(get(browser, location(get(browser, bank.baseUrl() + "/login"))).statusCode()).isEqualTo(200);
  }

  @Test
  void aPostWithoutTheSessionsCsrfToken_isRefused() throws Exception {
    HttpClient browser = TrustingHttp.browser(server.tlsCertificate());
    HttpResponse<String> forged = post(browser, bank.baseUrl() + "/contract", Map.of("csrf", "guess"));
    assertThat(forged.statusCode()).isEqualTo(302);
    assertThat(get(browser, bank.baseUrl() + "/").body()).contains("Please log in first");
  }

  private static String nextCode() {
    CLOCK.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    return Totp.code(seed, Totp.step(CLOCK.instant()));
  }

  private static HttpResponse<String> get(HttpClient browser, String url) throws Exception {
    return browser.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(HttpClient browser, String url, Map<String, String> fields)
      throws Exception {
    StringBuilder form = new StringBuilder();
    fields.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
    return browser.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type",
        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String location(HttpResponse<String> r) {
    String l = r.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
        "No redirect (" + r.statusCode() + "): " + r.body()));
    return l.startsWith("/") ? bank.baseUrl() + l : l;
  }

  private static String handle(String html) {
    return html.replaceAll("(?s).*name=\"request\" value=\"([^\"]+)\".*", "$1");
  }

  /** What a browser makes of an attribute value: the escapes Mustache writes, decoded. */
  private static String unescape(String attribute) {
    return attribute.replace("&#61;", "=").replace("&amp;", "&");
  }

  private static String csrf(String html) {
    return html.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static JsonNode admin(String path, Map<String, Object> body) {
    return new AdminApi(server.baseUrl(), server.tlsCertificate(), ADMIN).post(path, body);
  }

}
