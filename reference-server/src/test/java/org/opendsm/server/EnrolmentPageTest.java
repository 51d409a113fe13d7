package org.opendsm.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendsm.Secret;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.MutableClock;
import org.opendsm.testing.TrustingHttp;

/** The enrolment page: password rules, the QR code (decoded back), a wrong first code, success. */
class EnrolmentPageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "enrol-page-admin-token";
  private static final MutableClock CLOCK = new MutableClock(Instant.now());
  private static ReferenceServer server;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    server = ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(-1)
        .withDataDirectory(Files.createTempDirectory("dsm-enrol-page")).withAdminToken(Secret.of(ADMIN)), CLOCK);
    http = TrustingHttp.client(server.tlsCertificate());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void newUser_choosesAPassword_scansTheQrCode_andConfirmsWithTheFirstCode() throws Exception {
    String code = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/users"))
        .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.ofString(
            "{\"userId\":\"dora\",\"displayName\":\"Dora Klein\"}")).build(), HttpResponse.BodyHandlers.ofString())
        .body()).get("enrolmentCode").asText();

    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/enroll?code="
        + code)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.body()).contains("value=\"" + code + "\"").contains("<label for=\"password\">");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'")
        .contains("img-src 'self' data:");

    String password = "Dora keeps seven green kites";
    assertThat(post(Map.of("code", code, "password", password, "confirm", "something else", "step", "begin")).body())
        .contains("The two passwords differ");
    assertThat(post(Map.of("code", code, "password", "password123", "confirm", "password123", "step", "begin"))
        .body()).contains("common");

    HttpResponse<String> scan = post(Map.of("code", code, "password", password, "confirm", password, "step", "begin"));
    assertThat(scan.statusCode()).isEqualTo(200);
    String secret = scan.body().replaceAll("(?s).*<code id=\"secret\">([A-Z2-7 ]+)</code>.*", "$1").replace(" ", "");
    String qr = scan.body().replaceAll("(?s).*<img src=\"data:image/png;base64,([^\"]+)\".*", "$1")
        .replace("&#61;", "=");  // as a browser reads the attribute
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(qr)));
    int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    // The page shows a pure code (upright, whole modules, quiet zone): decoded as one. Searched for as
    // if photographed, zxing's detector misread 29 of 3,000 such codes (ChecksumException); 0 this way.
    String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
        new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels))),
        java.util.Map.of(com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
    assertThat(decoded).startsWith("otpauth://totp/").contains("secret=" + secret);

    byte[] seed = Base32.decode(secret + "=".repeat((8 - secret.length() % 8) % 8));
    HttpResponse<String> wrong = post(Map.of("code", code, "password", password, "otp", "000000", "step", "complete"));
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(wrong.body()).contains("The password or the code is wrong").contains("<code id=\"secret\">");

    CLOCK.advance(Duration.ofSeconds(30));
    HttpResponse<String> done = post(Map.of("code", code, "password", password,
        "otp", Totp.code(seed, Totp.step(CLOCK.instant())), "step", "complete"));
    assertThat(done.statusCode()).as(done.body()).isEqualTo(201);
    assertThat(done.body()).contains("Your signing account is ready").contains("Dora Klein")
        .contains("SERIALNUMBER&#61;dora");

    // The code is spent: the page says what to do.
    assertThat(post(Map.of("code", code, "password", password, "confirm", password, "step", "begin")).body())
        .contains("ask your administrator for a new one");
  }

  private static HttpResponse<String> post(Map<String, String> fields) throws Exception {
    StringBuilder form = new StringBuilder();
    fields.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/enroll"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
  }
}
