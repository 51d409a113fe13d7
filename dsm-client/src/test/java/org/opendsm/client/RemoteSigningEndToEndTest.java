package org.opendsm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opendsm.Document;
import org.opendsm.MediaType;
import org.opendsm.Secret;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignedDocument;
import org.opendsm.TrustSettings;
import org.opendsm.cades.CadesOptions;
import org.opendsm.cades.CadesService;
import org.opendsm.pades.PadesOptions;
import org.opendsm.pades.PadesService;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.ServerConfig;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.MutableClock;
import org.opendsm.testing.Samples;
import org.opendsm.xades.XadesOptions;
import org.opendsm.xades.XadesService;

/**
 * The product as a whole: documents formatted here, only hashes sent to the real reference server
 * (HTTPS, port 0), signed after password + TOTP, validated with the server's root as the only
 * trust anchor (OCSP, CRLs and the TSA reached over the server's plain-HTTP PKI port).
 */
class RemoteSigningEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "a long signing passphrase";
  private static final MutableClock CLOCK = new MutableClock(Instant.now());
  @TempDir static Path dir;
  private static ReferenceServer server;
  private static DsmClient client;
  private static byte[] seed;
  private static TrustSettings trust;

  @BeforeAll
  static void start() throws Exception {
    server = ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(0).withDataDirectory(dir)
        .withAdminToken(Secret.of("admin-token-for-tests")), CLOCK);
    JsonNode registration = admin("/admin/clients", Map.of("clientId", "bank", "name", "Example Bank",
        "redirectUris", List.of("https://bank.example/return")));
    String code = admin("/admin/users", Map.of("userId", "alice", "displayName", "Alice Martin", "authMode", "explicit"))
        .get("enrolmentCode").asText();
    String secret = admin("/enrol/begin", Map.of("code", code, "password", PASSWORD)).get("secret").asText();
    seed = Base32.decode(secret + "=".repeat((8 - secret.length() % 8) % 8));
    admin("/enrol/complete", Map.of("code", code, "password", PASSWORD, "otp", totp()));
    client = DsmClient.builder().baseUrl(server.baseUrl()).clientId("bank")
        .clientSecret(Secret.of(registration.get("clientSecret").asText())).trust(server.tlsCertificate()).build();
    trust = TrustSettings.builder().addTrustAnchor(server.rootCertificate()).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  /** Each authorisation gets the code of a fresh time step, as a user would type it. */
  private static AuthorizationProvider user(AtomicInteger calls) {
    return request -> {
      calls.incrementAndGet();
      CLOCK.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
      return new AuthorizationProvider.Factors(Secret.of(PASSWORD), Secret.of(totp()));
    };
  }

  private static RemoteSigner signer(AtomicInteger calls) {
    return RemoteSigner.builder(client).userId("alice").authorization(user(calls)).build();
  }

  private static ServiceSettings settings() {
    return ServiceSettings.builder().timestampSource(new ServerTimestampSource(client)).trust(trust).build();
  }

  @ParameterizedTest
  @EnumSource(SignatureLevel.class)
  void pades_signedRemotely_isTotalPassed(SignatureLevel level) {
    SignedDocument signed = PadesService.create(settings()).sign(Samples.pdf(),
        PadesOptions.builder().level(level).build(), signer(new AtomicInteger()));

    assertValid(signed.document(), trust, level);
  }

  @ParameterizedTest
  @EnumSource(SignatureLevel.class)
  void cadesPng_detachedAndEnveloping_signedRemotely_areTotalPassed(SignatureLevel level) {
    SignedDocument p7s = CadesService.create(settings()).sign(Samples.png(),
        CadesOptions.builder().level(level).packaging(SignaturePackaging.DETACHED).build(), signer(new AtomicInteger()));
    SignedDocument p7m = CadesService.create(settings()).sign(Samples.png(),
        CadesOptions.builder().level(level).packaging(SignaturePackaging.ENVELOPING).build(), signer(new AtomicInteger()));

    assertValid(p7s.document(), List.of(Samples.png()), trust, level);
    assertValid(p7m.document(), trust, level);
  }

  @ParameterizedTest
  @EnumSource(SignatureLevel.class)
  void xades_envelopedAndDetached_signedRemotely_areTotalPassed(SignatureLevel level) {
    SignedDocument enveloped = XadesService.create(settings()).sign(Samples.xml(),
        XadesOptions.builder().level(level).build(), signer(new AtomicInteger()));
    SignedDocument detached = XadesService.create(settings()).sign(Samples.xml(),
        XadesOptions.builder().level(level).packaging(SignaturePackaging.DETACHED).build(), signer(new AtomicInteger()));

    assertValid(enveloped.document(), trust, level);
    assertValid(detached.document(), List.of(Samples.xml()), trust, level);
  }

  @Test
  void fiftyPdfs_needOneAuthorisation() {
    AtomicInteger calls = new AtomicInteger();
    List<Document> pdfs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      pdfs.add(Samples.pdf().withName("loan-" + i + ".pdf", MediaType.PDF));
    }

    List<SignedDocument> signed = PadesService.create(settings()).signAll(pdfs, PadesOptions.builder().build(),
        signer(calls));

    assertThat(calls.get()).isEqualTo(1);
    assertThat(signed).hasSize(50);
    assertValid(signed.get(49).document(), trust, SignatureLevel.B);
  }

  @Test
  void moreDigestsThanMultisign_takeOneAuthorisationPerHundred_andSaySo() {
    AtomicInteger calls = new AtomicInteger();
    List<AuthorizationProvider.Request> requests = new ArrayList<>();
    RemoteSigner signer = RemoteSigner.builder(client).userId("alice").authorization(request -> {
      requests.add(request);
      return user(calls).factors(request);
    }).build();
    List<byte[]> digests = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      digests.add(org.opendsm.DigestAlgorithm.SHA256.digest(new byte[] {(byte) i, (byte) (i >> 8)}));
    }

    assertThat(signer.signDigests(org.opendsm.DigestAlgorithm.SHA256, digests)).hasSize(150);
    assertThat(requests).extracting(AuthorizationProvider.Request::documents).containsExactly(100, 50);
    assertThat(requests).extracting(AuthorizationProvider.Request::interaction).containsExactly(1, 2);
    assertThat(requests).allMatch(r -> r.interactions() == 2);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(SignatureLevel.class)
  @org.junit.jupiter.api.Tag("interop")
  void remoteOutputs_atEveryLevel_areAcceptedByIndependentVerifiers(SignatureLevel level) throws Exception {
    org.opendsm.testing.ExternalTools.require("pdfsig", "certutil", "openssl", "xmlsec1", "xxd");
    java.nio.file.Path work = java.nio.file.Files.createDirectories(dir.resolve("interop-" + level));
    java.nio.file.Path root = work.resolve("root.pem");
    java.nio.file.Files.writeString(root, "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64,
        "\n".getBytes()).encodeToString(server.rootCertificate().getEncoded()) + "\n-----END CERTIFICATE-----\n");

    // PAdES: integrity from poppler; the chain to the server's root from openssl. (poppler 22.12
    // reports whatever error NSS left behind after a successful chain check, so its certificate
    // line is not a reliable oracle here; see README, "Notes from the way".)
    java.nio.file.Path pdf = work.resolve("remote.pdf");
    PadesService.create(settings()).sign(Samples.pdf(), PadesOptions.builder().level(level).build(),
        signer(new AtomicInteger())).writeTo(pdf);
    var nss = org.opendsm.testing.ExternalTools.nssDatabase(work, root);
    var pdfsig = org.opendsm.testing.ExternalTools.run(work, "pdfsig", "-nssdir", "sql:" + nss, pdf.toString());
    assertThat(pdfsig.output()).as(pdfsig.output()).contains("Signature is Valid.")
        .doesNotContain("Digest Mismatch").doesNotContain("Certificate has been Revoked");
    var byteRange = org.opendsm.testing.ExternalTools.run(work,
        org.opendsm.testing.ExternalTools.script("pades-openssl-verify.sh", work).toString(), pdf.toString(), root.toString());
    assertThat(byteRange.exitCode()).as(byteRange.output()).isZero();

    // CAdES over a PNG, detached and enveloping.
    java.nio.file.Path png = java.nio.file.Files.write(work.resolve("sample.png"), Samples.bytes("sample.png"));
    for (SignaturePackaging packaging : List.of(SignaturePackaging.DETACHED, SignaturePackaging.ENVELOPING)) {
      java.nio.file.Path cms = work.resolve("sample.png." + packaging);
      CadesService.create(settings()).sign(Document.of(png), CadesOptions.builder().level(level).packaging(packaging)
          .build(), signer(new AtomicInteger())).writeTo(cms);
      List<String> command = new ArrayList<>(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER",
          "-in", cms.toString(), "-CAfile", root.toString(), "-purpose", "any", "-out", "/dev/null"));
      if (packaging == SignaturePackaging.DETACHED) {
        command.addAll(List.of("-content", png.toString()));
      }
      var verified = org.opendsm.testing.ExternalTools.run(work, command.toArray(String[]::new));
      assertThat(verified.output()).as(packaging + ": " + verified.output()).contains("CMS Verification successful");
    }

    // XAdES, enveloped and detached (xmlsec1 finds the detached sample.xml beside the signature).
    Samples.xml().writeTo(work.resolve(Samples.xml().name()));
    for (SignaturePackaging packaging : List.of(SignaturePackaging.ENVELOPED, SignaturePackaging.DETACHED)) {
      java.nio.file.Path signature = work.resolve("remote-" + packaging + ".xml");
      XadesService.create(settings()).sign(Samples.xml(), XadesOptions.builder().level(level).packaging(packaging)
          .build(), signer(new AtomicInteger())).writeTo(signature);
      var xmlsec = org.opendsm.testing.ExternalTools.run(work, "xmlsec1", "--verify", "--trusted-pem", root.toString(),
          "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", signature.toString());
      assertThat(xmlsec.exitCode()).as(packaging + ": " + xmlsec.output()).isZero();
    }
  }


  @Test
  void oauth2Mode_theUserApprovesOnTheServicesPage_andTheDocumentsComplete() throws Exception {
    JsonNode enrolment = enrolOauth2User("olga");
    String credentialId = enrolment.get("credentialID").asText();
    byte[] olgaSeed = seedOf(enrolment);
    URI redirect = URI.create("https://bank.example/return");
    // A service-scope login gives the application the user's certificate chain.
    String userToken = serviceLogin("olga", olgaSeed, redirect);
    List<java.security.cert.X509Certificate> chain = new ArrayList<>();
    for (String c : client.credentialInfo(userToken, credentialId).cert().certificates()) {
      chain.add(org.opendsm.internal.Dss.parseCertificate(java.util.Base64.getDecoder().decode(c)));
    }
    PadesService pades = PadesService.create(settings());
    List<Document> pdfs = List.of(Samples.pdf().withName("a.pdf", MediaType.PDF), Samples.pdf().withName("b.pdf", MediaType.PDF));
    List<org.opendsm.PreparedSignature> prepared = new ArrayList<>();
    for (Document pdf : pdfs) {
      prepared.add(pades.prepare(pdf, PadesOptions.builder().build(), chain));
    }

    // What the application keeps in its session across the redirect is JSON, read back afterwards.
    String session = OAuth2Signing.begin(client, credentialId, prepared, redirect).toJson();
    OAuth2Signing.Pending pending = OAuth2Signing.Pending.fromJson(session);
    assertThat(pending.toString()).doesNotContain(pending.state()).doesNotContain(pending.codeVerifier().reveal());
    URI back = approveOnLoginPage(pending.authorizationUrl(), "olga", olgaSeed);
    // A redirect with another state (a forged link) is refused before its code is spent.
    assertThatThrownBy(() -> OAuth2Signing.finish(client, pending, query(back, "code"), "forged"))
        .isInstanceOf(org.opendsm.SigningException.class).hasMessageContaining("state does not match");
    List<org.opendsm.SignatureValue> values = OAuth2Signing.finish(client, pending, query(back, "code"),
        query(back, "state"));

    for (int i = 0; i < pdfs.size(); i++) {
      assertValid(pades.complete(pdfs.get(i), pending.prepared().get(i), values.get(i)).document(), trust,
          SignatureLevel.B);
    }
  }

  private static JsonNode enrolOauth2User(String user) throws Exception {
    String code = admin("/admin/users", Map.of("userId", user, "displayName", "User " + user)).get("enrolmentCode").asText();
    String secret = admin("/enrol/begin", Map.of("code", code, "password", PASSWORD)).get("secret").asText();
    byte[] userSeed = Base32.decode(secret + "=".repeat((8 - secret.length() % 8) % 8));
    CLOCK.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    JsonNode done = admin("/enrol/complete", Map.of("code", code, "password", PASSWORD,
        "otp", Totp.code(userSeed, Totp.step(CLOCK.instant()))));
    ((com.fasterxml.jackson.databind.node.ObjectNode) done).put("seed", java.util.Base64.getEncoder().encodeToString(userSeed));
    return done;
  }

  private static byte[] seedOf(JsonNode enrolment) {
    return java.util.Base64.getDecoder().decode(enrolment.get("seed").asText());
  }

  private static String serviceLogin(String user, byte[] userSeed, URI redirect) throws Exception {
    String verifier = "v".repeat(50);
    String challenge = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(org.opendsm.DigestAlgorithm.SHA256.digest(verifier.getBytes()));
    URI url = client.authorizeUrl(Map.of("response_type", "code", "client_id", "bank", "scope", "service",
        "redirect_uri", redirect.toString(), "code_challenge", challenge, "code_challenge_method", "S256", "state", "s"));
    URI back = approveOnLoginPage(url, user, userSeed);
    return client.exchangeCode(query(back, "code"), redirect, Secret.of(verifier)).accessToken();
  }

  /** What the user does in the browser: open the page, type password and code, press Sign. */
  private static URI approveOnLoginPage(URI page, String user, byte[] userSeed) throws Exception {
    HttpClient browser = browser();
    String html = browser.send(HttpRequest.newBuilder(page).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    String handle = html.replaceAll("(?s).*name=\"request\" value=\"([^\"]+)\".*", "$1");
    CLOCK.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    String form = "request=" + enc(handle) + "&user=" + enc(user) + "&password=" + enc(PASSWORD) + "&otp="
        + Totp.code(userSeed, Totp.step(CLOCK.instant())) + "&action=approve";
    HttpResponse<String> r = browser.send(HttpRequest.newBuilder(server.baseUrl().resolve("/oauth2/authorize"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    return URI.create(r.headers().firstValue("Location").orElseThrow());
  }

  private static String query(URI uri, String name) {
    for (String pair : uri.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals(name)) {
        return java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("No " + name + " in " + uri);
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void info_describesTheService() {
    assertThat(client.info().specs()).isEqualTo("2.0.0.2");
    assertThat(client.info().methods()).contains("signatures/signHash", "credentials/authorize");
  }

  @Test
  void wrongPassword_isARemoteSigningExceptionWithTheCscError() {
    RemoteSigner wrong = RemoteSigner.builder(client).userId("alice").authorization(request -> {
      CLOCK.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
      return new AuthorizationProvider.Factors(Secret.of("not the password"), Secret.of(totp()));
    }).build();

    assertThatThrownBy(() -> PadesService.create(settings()).sign(Samples.pdf(), PadesOptions.builder().build(), wrong))
        .isInstanceOf(RemoteSigningException.class)
        .hasMessage("Invalid password or one-time code")
        .satisfies(e -> {
          assertThat(((RemoteSigningException) e).error()).isEqualTo("invalid_request");
          assertThat(((RemoteSigningException) e).status()).isEqualTo(400);
        });
  }

  private static String totp() {
    return Totp.code(seed, Totp.step(CLOCK.instant()));
  }

  private static HttpClient browser() {
    return org.opendsm.testing.TrustingHttp.browser(server.tlsCertificate());
  }

  private static JsonNode admin(String path, Map<String, Object> body) throws Exception {
    HttpResponse<String> r = browser().send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Authorization", "Bearer admin-token-for-tests")
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    return JSON.readTree(r.body());
  }
}
