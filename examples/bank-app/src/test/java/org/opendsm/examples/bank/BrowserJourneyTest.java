package org.opendsm.examples.bank;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
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
 * A new user's whole journey in a real browser (Debian's chromium, headless, through chromedriver):
 * enrol on the service's page by reading the authenticator key it shows, log in to the bank, sign
 * the loan contract with a fresh code, check the downloaded contract in the service's viewer; a
 * wrong code, a cancelled signature and a lockout; every field labelled; the login done with the
 * keyboard alone. Screenshots go to {@code target/screenshots}.
 *
 * <p>Skipped with the reason printed when chromium is not installed, unless {@code CI=true}.
 * The browser accepts the service's self-signed TLS certificate (a test server made for the run).
 */
class BrowserJourneyTest {
  private static final String ADMIN = "browser-admin-token";
  private static final String PASSWORD = "Erik paints seven blue boats";
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target/screenshots");
  // One TOTP step per code (ten at most here); the clock starts back so that it never runs ahead of
  // the bank's, which checks ID token times against the system clock.
  private static final MutableClock CLOCK = new MutableClock(Instant.now().minus(Duration.ofMinutes(5)));
  private static ReferenceServer server;
  private static BankApp bank;
  private static WebDriver browser;
  private static int shot;

  @BeforeAll
  static void start() throws Exception {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("chromium and chromium-driver are required on CI (.ci/run installs them)");
    }
    Assumptions.assumeTrue(present, "chromium/chromedriver not installed: apt-get install chromium chromium-driver");
    Files.createDirectories(SHOTS);
    server = ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(0)
        .withDataDirectory(Files.createTempDirectory("dsm-browser")).withAdminToken(Secret.of(ADMIN)), CLOCK);
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String base = "http://localhost:" + port;
    String secret = admin("/admin/clients", Map.of("clientId", "bank", "name", "Example Bank", "redirectUris",
        List.of(base + "/callback", base + "/signed", base + "/"))).get("clientSecret").asText();
    bank = BankApp.start(new BankApp.Settings(server.baseUrl(), server.tlsCertificate(),
        List.of(server.rootCertificate()), "bank", Secret.of(secret), port));
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-dev-shm-usage", "--window-size=412,915");
    options.setAcceptInsecureCerts(true);
    browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .build(), options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    // A click or Enter that submits a form does not wait for the next page: finding waits instead.
    browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (bank != null) {
      bank.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void newUser_enrols_logsInToTheBank_signsTheContract_andChecksItInTheViewer() throws Exception {
    byte[] seed = enrol("erik", "Erik Nilsson");

    // The bank: log in with OpenDSM, the keyboard alone on the service's page.
    browser.get(bank.baseUrl() + "/");
    screenshot("bank-home");
    browser.findElement(By.linkText("Log in with OpenDSM")).click();
    assertThat(browser.getCurrentUrl()).startsWith(server.baseUrl() + "/oauth2/authorize");
    assertLabelled();
    screenshot("login-page");
    WebElement user = browser.findElement(By.id("user"));
    user.click();
    user.sendKeys("erik", Keys.TAB, PASSWORD, Keys.TAB, code(seed), Keys.ENTER);
    waitForText("Hello Erik Nilsson");
    screenshot("bank-logged-in");

    // Sign: the bank shows the verification code; the service's page shows the same and asks for a code only.
    browser.findElement(By.xpath("//button[text()='Sign your loan contract']")).click();
    String verification = browser.findElement(By.className("code")).getText();
    screenshot("bank-confirm");
    browser.findElement(By.id("approve")).click();
    assertThat(waitForText("Signed in as erik")).contains(verification).contains("loan-contract.pdf");
    assertThat(browser.findElements(By.cssSelector("input[type=password]"))).isEmpty();
    assertLabelled();
    screenshot("sign-with-code");
    submit(browser.findElement(By.id("otp")), "000000");
    waitForText("Wait for the next code");
    screenshot("sign-wrong-code");
    browser.findElement(By.id("otp")).sendKeys(code(seed), Keys.ENTER);
    waitForText("verified TOTAL_PASSED");
    screenshot("bank-signed");

    // Download the contract as the browser's session, validate it, and check it in the viewer.
    String session = browser.manage().getCookieNamed("JSESSIONID").getValue();
    HttpResponse<byte[]> pdf = TrustingHttp.client(server.tlsCertificate()).send(HttpRequest.newBuilder(
            URI.create(bank.baseUrl() + "/loan-contract.pdf")).header("Cookie", "JSESSIONID=" + session).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    SignatureAssertions.assertValid(Document.of(pdf.body(), "loan-contract-signed.pdf", MediaType.PDF),
        TrustSettings.builder().addTrustAnchor(server.rootCertificate()).build(), SignatureLevel.LT);
    Path file = Files.createTempDirectory("dsm-browser-download").resolve("loan-contract-signed.pdf");
    Files.write(file, pdf.body());
    browser.get(server.baseUrl() + "/viewer");
    assertLabelled();
    browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
    browser.findElement(By.xpath("//button[text()='Check']")).click();
    assertThat(waitForText("signature(s)")).contains("TOTAL_PASSED").contains("Erik Nilsson")
        .contains("PAdES-BASELINE-LT");
    assertThat(browser.findElement(By.cssSelector(".preview img")).getAttribute("src")).startsWith("data:image/png");
    screenshot("viewer");
  }

  @Test
  void aCancelledSignature_comesBackToTheBank_andALockedAccountSaysSo() throws Exception {
    byte[] seed = enrol("fay", "Fay Duval");
    // A fresh browser session (cookies ignore ports: the bank's and the service's go together).
    browser.get(bank.baseUrl() + "/");
    browser.manage().deleteAllCookies();
    browser.get(bank.baseUrl() + "/login");
    browser.findElement(By.id("user")).sendKeys("fay");
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.id("otp")).sendKeys(code(seed), Keys.ENTER);
    browser.findElement(By.xpath("//button[text()='Sign your loan contract']")).click();
    browser.findElement(By.id("approve")).click();
    browser.findElement(By.xpath("//button[text()='Cancel']")).click();
    waitForText("You cancelled the signature");
    screenshot("bank-cancelled");

    // Five wrong codes lock the credential; the page says it is locked, not "wrong".
    browser.findElement(By.xpath("//button[text()='Sign your loan contract']")).click();
    browser.findElement(By.id("approve")).click();
    for (int i = 1; i <= 5; i++) {
      submit(browser.findElement(By.id("otp")), "000000");
    }
    waitForText("locked");
    screenshot("sign-locked");
  }

  @Test
  void account_showsTheCertificateAndActivity_changesThePassword_andMovesToANewAuthenticator() throws Exception {
    byte[] seed = enrol("gil", "Gil Marques");
    browser.get(server.baseUrl() + "/account");
    browser.manage().deleteAllCookies();
    browser.get(server.baseUrl() + "/account");
    assertLabelled();
    browser.findElement(By.id("user")).sendKeys("gil");
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    submit(browser.findElement(By.id("otp")), code(seed));
    String overview = waitForText("Your certificates");
    assertThat(overview).contains("Gil Marques").contains("valid").contains("Account set up, certificate issued")
        .contains("Signed in (password and code)");
    assertLabelled();
    screenshot("account");

    String newPassword = "Gil rows across the quiet lake";
    browser.findElement(By.id("current")).sendKeys(PASSWORD);
    browser.findElement(By.id("next")).sendKeys(newPassword);
    browser.findElement(By.id("confirm")).sendKeys(newPassword);
    submit(browser.findElement(By.id("otp")), code(seed));
    waitForText("Your password is changed");
    screenshot("account-password-changed");
    browser.findElement(By.id("password")).sendKeys(newPassword);
    submit(browser.findElement(By.id("otp")), code(seed));
    waitForText("Password changed");

    browser.findElement(By.xpath("//button[text()='Use a new authenticator app']")).click();
    String secret = browser.findElement(By.id("secret")).getText().replace(" ", "");
    byte[] newSeed = Base32.decode(secret + "=".repeat((8 - secret.length() % 8) % 8));
    assertLabelled();
    screenshot("account-new-authenticator");
    browser.findElement(By.id("confirm-password")).sendKeys(newPassword);
    submit(browser.findElement(By.id("new-otp")), code(newSeed));
    assertThat(waitForText("Your new authenticator app is set up")).contains("Authenticator app changed");

    // The new password and the new app sign in; the old app's codes no longer do.
    browser.findElement(By.xpath("//button[text()='Sign out']")).click();
    browser.findElement(By.id("user")).sendKeys("gil");
    browser.findElement(By.id("password")).sendKeys(newPassword);
    submit(browser.findElement(By.id("otp")), code(seed));
    waitForText("Check both and try again");
    browser.findElement(By.id("password")).sendKeys(newPassword);
    submit(browser.findElement(By.id("otp")), code(newSeed));
    waitForText("Your certificates");
  }

  /** The new user's part of enrolment, in the browser: the key is read from the page, as a person types it into an app. */
  private static byte[] enrol(String userId, String name) throws Exception {
    String code = admin("/admin/users", Map.of("userId", userId, "displayName", name)).get("enrolmentCode").asText();
    browser.get(server.baseUrl() + "/enroll?code=" + code);
    assertLabelled();
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.id("confirm")).sendKeys(PASSWORD, Keys.ENTER);
    screenshot("enrol-scan-" + userId);
    String secret = browser.findElement(By.id("secret")).getText().replace(" ", "");
    byte[] seed = Base32.decode(secret + "=".repeat((8 - secret.length() % 8) % 8));
    browser.findElement(By.id("password")).sendKeys(PASSWORD);
    browser.findElement(By.id("otp")).sendKeys(code(seed), Keys.ENTER);
    waitForText("Your signing account is ready");
    screenshot("enrol-done-" + userId);
    return seed;
  }

  /**
   * Types into a field, presses Enter, and waits until that page is gone. While the next page
   * loads, Chrome may answer "node does not belong to the document" instead of "stale": both say
   * the old page is gone (what comes next is checked by the caller).
   */
  private static void submit(WebElement field, String text) {
    field.sendKeys(text, Keys.ENTER);
    new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> {
      try {
        field.isEnabled();
        return false;
      } catch (WebDriverException gone) {
        return true;
      }
    });
  }

  /**
   * Waits until the page (the next one, after a submit) says {@code text}; returns its text. The
   * body read while the next page replaces it is stale: read again.
   */
  private static String waitForText(String text) {
    return new WebDriverWait(browser, Duration.ofSeconds(15))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
      String body = d.findElement(By.tagName("body")).getText();
      return body.contains(text) ? body : null;
    });
  }

  /** Every visible field has a label naming it (label[for] or aria-label). */
  private static void assertLabelled() {
    for (WebElement input : browser.findElements(By.cssSelector("input:not([type=hidden]), select, textarea"))) {
      String id = input.getAttribute("id");
      boolean labelled = id != null && !id.isEmpty()
          && !browser.findElements(By.cssSelector("label[for='" + id + "']")).isEmpty()
          || input.getAttribute("aria-label") != null;
      assertThat(labelled).as("field %s on %s has a label", input.getAttribute("name"), browser.getCurrentUrl())
          .isTrue();
    }
  }

  private static String code(byte[] seed) {
    CLOCK.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    return Totp.code(seed, Totp.step(CLOCK.instant()));
  }

  private static void screenshot(String name) throws Exception {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(String.format("%02d-%s.png", ++shot, name)), png);
  }

  private static JsonNode admin(String path, Map<String, Object> body) {
    return new AdminApi(server.baseUrl(), server.tlsCertificate(), ADMIN).post(path, body);
  }

}
