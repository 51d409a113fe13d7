package org.opendsm.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.AMR;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendsm.DigestAlgorithm;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.AdminApi;
import org.opendsm.testing.MutableClock;
import org.opendsm.testing.TrustingHttp;

/**
 * The signing service as an OpenID Connect provider, driven by a standard relying-party library
 * (Nimbus OAuth 2.0 SDK with OpenID Connect extensions), not by our own code: discovery, login
 * with password + TOTP on the service's page, ID token validation against the JWK set, userinfo,
 * single sign-on, prompt and max_age, the short session that lets a signature need only a fresh
 * code, RP-initiated logout and the refusals.
 *
 * <p>The server's clock moves one 30 s TOTP step per login; it starts a few minutes back so that
 * the ID tokens' times stay within the relying party's clock skew.
 */
class OpenIdConnectTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "oidc-admin-token";
  private static final String PASSWORD = "Anna signs loan papers at dawn";
  private static final URI REDIRECT = URI.create("https://portal.example/callback");
  private static final MutableClock CLOCK = new MutableClock(Instant.now().minus(Duration.ofMinutes(4)));
  private static Path dir;
  private static ReferenceServer server;
  private static SSLSocketFactory tls;
  private static OIDCProviderMetadata provider;
  private static Secret portalSecret;
  private static byte[] seed;
  private static String credentialId;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("dsm-oidc");
    server = ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(-1).withDataDirectory(dir)
        .withAdminToken(org.opendsm.Secret.of(ADMIN)), CLOCK);
    tls = TrustingHttp.sslContext(server.tlsCertificate()).getSocketFactory();
    portalSecret = new Secret(admin("/admin/clients", Map.of("clientId", "portal", "name", "Citizen Portal",
        "redirectUris", List.of(REDIRECT.toString()))).get("clientSecret").asText());
    admin("/admin/clients", Map.of("clientId", "login-only", "name", "News", "redirectUris", List.of(REDIRECT.toString()),
        "uses", List.of("login")));
    admin("/admin/clients", Map.of("clientId", "sign-only", "name", "Notary", "redirectUris", List.of(REDIRECT.toString()),
        "uses", List.of("signing")));
    String code = admin("/admin/users", Map.of("userId", "anna", "displayName", "Anna Schmit")).get("enrolmentCode").asText();
    String secret = admin("/enrol/begin", Map.of("code", code, "password", PASSWORD)).get("secret").asText();
    seed = Base32.decode(secret + "=".repeat((8 - secret.length() % 8) % 8));
    credentialId = admin("/enrol/complete", Map.of("code", code, "password", PASSWORD, "otp", nextCode()))
        .get("credentialID").asText();

    // Discovery, as any relying party starts.
    HTTPRequest discovery = new HTTPRequest(HTTPRequest.Method.GET,
        URI.create(server.baseUrl() + "/.well-known/openid-configuration"));
    discovery.setSSLSocketFactory(tls);
    provider = OIDCProviderMetadata.parse(discovery.send().getBodyAsJSONObject());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void discovery_namesTheEndpoints_pairwiseSubjects_ES256_andS256() {
    assertThat(provider.getIssuer().getValue()).isEqualTo(server.baseUrl().toString());
    assertThat(provider.getTokenEndpointURI()).hasPath("/oauth2/token");
    assertThat(provider.getUserInfoEndpointURI()).hasPath("/oauth2/userinfo");
    assertThat(provider.getEndSessionEndpointURI()).hasPath("/oauth2/logout");
    assertThat(provider.getSubjectTypes()).extracting(Object::toString).containsExactly("pairwise");
    assertThat(provider.getIDTokenJWSAlgs()).containsExactly(JWSAlgorithm.ES256);
    assertThat(provider.getCodeChallengeMethods()).containsExactly(CodeChallengeMethod.S256);
  }

  @Test
  void login_validatesWithAStandardRelyingParty_andUserinfoAgrees_andTheCodeAndTheTotpWorkOnce() throws Exception {
    HttpClient browser = TrustingHttp.browser(server.tlsCertificate());
    Rp rp = new Rp("portal", portalSecret);
    String otp = nextCode();
    URI back = rp.loginWithPassword(browser, otp, null);
    HTTPResponse tokens = rp.exchange(back);
    OIDCTokenResponse ok = (OIDCTokenResponse) OIDCTokenResponseParser.parse(tokens).toSuccessResponse();
    assertThat(tokens.getHeaderValue("Cache-Control")).isEqualTo("no-store");

    IDTokenClaimsSet claims = rp.validate(ok.getOIDCTokens().getIDToken());
    assertThat(claims.getACR().getValue()).isEqualTo("http://schemas.openid.net/pape/policies/2007/06/multi-factor");
    assertThat(claims.getAMR()).containsExactly(AMR.PWD, AMR.OTP);
    assertThat(claims.getAuthenticationTime()).isNotNull();
    assertThat(claims.getStringClaim("name")).isEqualTo("Anna Schmit");
    assertThat(claims.getSubject().getValue()).isNotEqualTo("anna").hasSize(43);

    // A wrong nonce: the relying party must refuse the same token.
    assertThatThrownBy(() -> rp.validator().validate(ok.getOIDCTokens().getIDToken(), new Nonce("other")))
        .isInstanceOf(BadJOSEException.class);

    HTTPRequest info = new UserInfoRequest(provider.getUserInfoEndpointURI(),
        (BearerAccessToken) ok.getOIDCTokens().getAccessToken()).toHTTPRequest();
    info.setSSLSocketFactory(tls);
    var userInfo = UserInfoResponse.parse(info.send()).toSuccessResponse().getUserInfo();
    assertThat(userInfo.getSubject()).isEqualTo(claims.getSubject());
    assertThat(userInfo.getName()).isEqualTo("Anna Schmit");

    // The login's access token opens userinfo, not the CSC API.
    HttpResponse<String> csc = TrustingHttp.client(server.tlsCertificate()).send(HttpRequest.newBuilder(
            URI.create(server.baseUrl() + "/csc/v2/credentials/list"))
        .header("Authorization", "Bearer " + ok.getOIDCTokens().getAccessToken().getValue())
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(csc.statusCode()).isEqualTo(401);

    // The code is single-use.
    HTTPResponse replay = rp.exchange(back);
    assertThat(OIDCTokenResponseParser.parse(replay).toErrorResponse().getErrorObject().getCode())
        .isEqualTo("invalid_grant");

    // The same TOTP code in a fresh browser (no session): refused.
    HttpClient other = TrustingHttp.browser(server.tlsCertificate());
    HttpResponse<String> again = new Rp("portal", portalSecret).submitPassword(other, otp, null);
    assertThat(again.statusCode()).isEqualTo(401);
    assertThat(again.body()).contains("Check both and try again");
  }

  @Test
  void singleSignOn_secondApplicationLogsInWithoutThePage_unlessPromptLoginOrMaxAgeAskForIt() throws Exception {
    HttpClient browser = TrustingHttp.browser(server.tlsCertificate());
    Rp portal = new Rp("portal", portalSecret);
    IDTokenClaimsSet first = portal.validate(tokens(portal.exchange(portal.loginWithPassword(browser, nextCode(),
        null))).getIDToken());

    // Another application: no page at all, straight back with a code; its own pairwise subject.
    Secret newsSecret = new Secret(admin("/admin/clients", Map.of("clientId", "sso-news", "name", "News",
        "redirectUris", List.of(REDIRECT.toString()), "uses", List.of("login"))).get("clientSecret").asText());
    Rp news = new Rp("sso-news", newsSecret);
    HttpResponse<String> sso = news.authorize(browser, null, null);
    assertThat(sso.statusCode()).isEqualTo(302);
    IDTokenClaimsSet second = news.validate(tokens(news.exchange(location(sso))).getIDToken());
    assertThat(second.getSubject()).isNotEqualTo(first.getSubject());
    assertThat(second.getAuthenticationTime()).isEqualTo(first.getAuthenticationTime());
    assertThat(second.getStringClaim("sid")).isEqualTo(first.getStringClaim("sid"));

    // prompt=login and a max_age the session is older than both show the page again.
    assertThat(news.authorize(browser, Prompt.Type.LOGIN, null).statusCode()).isEqualTo(200);
    CLOCK.advance(Duration.ofSeconds(5));
    assertThat(news.authorize(browser, null, 1).statusCode()).isEqualTo(200);
    // prompt=none without a session: login_required, back at the client.
    HttpResponse<String> none = news.authorize(TrustingHttp.browser(server.tlsCertificate()), Prompt.Type.NONE, null);
    assertThat(AuthenticationResponseParser.parse(location(none)).toErrorResponse().getErrorObject().getCode())
        .isEqualTo("login_required");
  }

  @Test
  void signatureSoonAfterLogin_needsOnlyAFreshCode_boundToTheHashes() throws Exception {
    HttpClient browser = TrustingHttp.browser(server.tlsCertificate());
    Rp portal = new Rp("portal", portalSecret);
    tokens(portal.exchange(portal.loginWithPassword(browser, nextCode(), null)));

    byte[] digest = DigestAlgorithm.SHA256.digest("loan contract".getBytes(StandardCharsets.UTF_8));
    String verifier = "v".repeat(60);
    URI signing = URI.create(server.baseUrl() + "/oauth2/authorize?response_type=code&client_id=portal"
        + "&redirect_uri=" + enc(REDIRECT.toString()) + "&scope=credential&credentialID=" + credentialId
        + "&numSignatures=1&hashes=" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest)
        + "&code_challenge=" + s256(verifier) + "&code_challenge_method=S256&state=sig");
    HttpResponse<String> page = browser.send(HttpRequest.newBuilder(signing).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.body()).contains("Signed in as <strong>anna</strong>").doesNotContain("name=\"password\"");

    // A wrong code is refused and counted; the right fresh one approves exactly these hashes.
    HttpResponse<String> wrong = postForm(browser, "/oauth2/authorize", Map.of("request", handle(page.body()),
        "mode", "session", "otp", "000000", "action", "approve"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<String> approved = postForm(browser, "/oauth2/authorize", Map.of("request", handle(page.body()),
        "mode", "session", "otp", nextCode(), "action", "approve"));
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(302);
    String code = query(location(approved), "code");
    JsonNode sad = JSON.readTree(TrustingHttp.client(server.tlsCertificate()).send(HttpRequest.newBuilder(
            URI.create(server.baseUrl() + "/oauth2/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("portal:" + portalSecret.getValue())
            .getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + enc(code) + "&redirect_uri="
            + enc(REDIRECT.toString()) + "&code_verifier=" + verifier)).build(), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(sad.has("access_token")).as(sad.toString()).isTrue();
    assertThat(sad.has("id_token")).isFalse();

    // Another application than the one the user logged in through gets the full page.
    HttpResponse<String> elsewhere = browser.send(HttpRequest.newBuilder(URI.create(signing.toString()
        .replace("client_id=portal", "client_id=sign-only"))).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(elsewhere.body()).contains("name=\"password\"");
  }

  @Test
  void aRenewedIdTokenKey_signsNewTokens_whileTheOldOneStaysPublishedForItsTokens() throws Exception {
    Rp before = new Rp("portal", portalSecret);
    JWT oldToken = tokens(before.exchange(before.loginWithPassword(TrustingHttp.browser(server.tlsCertificate()),
        nextCode(), null))).getIDToken();
    String oldKid = ((com.nimbusds.jose.JWSHeader) oldToken.getHeader()).getKeyID();

    admin("/admin/oidc/renew-key", Map.of());

    Rp after = new Rp("portal", portalSecret);
    HttpClient browser = TrustingHttp.browser(server.tlsCertificate());
    JWT newToken = tokens(after.exchange(after.loginWithPassword(browser, nextCode(), null))).getIDToken();
    String newKid = ((com.nimbusds.jose.JWSHeader) newToken.getHeader()).getKeyID();
    var connection = (javax.net.ssl.HttpsURLConnection) provider.getJWKSetURI().toURL().openConnection();
    connection.setSSLSocketFactory(tls);
    com.nimbusds.jose.jwk.JWKSet published;
    try (java.io.InputStream in = connection.getInputStream()) {
      published = com.nimbusds.jose.jwk.JWKSet.load(in);
    }

    assertThat(newKid).isNotEqualTo(oldKid);
    assertThat(published.getKeys()).extracting(com.nimbusds.jose.jwk.JWK::getKeyID).contains(oldKid, newKid);
    assertThat(after.validate(newToken).getSubject()).isNotNull();
    assertThat(before.validate(oldToken).getSubject()).as("a token signed before the renewal").isNotNull();
    // The old token still works as a logout hint.
    URI logout = new LogoutRequest(provider.getEndSessionEndpointURI(), oldToken, REDIRECT, new State("x")).toURI();
    HttpResponse<String> out = browser.send(HttpRequest.newBuilder(logout).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(out.statusCode()).isEqualTo(302);
  }

  @Test
  void logout_endsTheSession_andReturnsOnlyToARegisteredAddress() throws Exception {
    HttpClient browser = TrustingHttp.browser(server.tlsCertificate());
    Rp portal = new Rp("portal", portalSecret);
    JWT idToken = tokens(portal.exchange(portal.loginWithPassword(browser, nextCode(), null))).getIDToken();
    assertThat(portal.authorize(browser, null, null).statusCode()).isEqualTo(302);

    URI logout = new LogoutRequest(provider.getEndSessionEndpointURI(), idToken, REDIRECT, new State("bye")).toURI();
    HttpResponse<String> out = browser.send(HttpRequest.newBuilder(logout).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(out.statusCode()).isEqualTo(302);
    assertThat(location(out).toString()).isEqualTo(REDIRECT + "?state=bye");
    // The session is over: the login page again.
    assertThat(portal.authorize(browser, null, null).statusCode()).isEqualTo(200);

    // An unregistered post-logout address is not followed; a forged hint is refused.
    URI open = new LogoutRequest(provider.getEndSessionEndpointURI(), idToken, URI.create("https://evil.example/"),
        null).toURI();
    HttpResponse<String> stay = browser.send(HttpRequest.newBuilder(open).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(stay.statusCode()).isEqualTo(200);
    assertThat(stay.body()).contains("You are signed out");
    String forged = idToken.getParsedString().substring(0, idToken.getParsedString().lastIndexOf('.') + 1) + "AAAA";
    HttpResponse<String> refused = browser.send(HttpRequest.newBuilder(URI.create(provider.getEndSessionEndpointURI()
        + "?id_token_hint=" + forged)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(400);
    // Without a hint, nobody is signed out by a bare link: the user is asked.
    HttpResponse<String> ask = browser.send(HttpRequest.newBuilder(provider.getEndSessionEndpointURI()).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ask.body()).contains("value=\"signout\"");
  }

  @Test
  void refusals_wrongRedirect_clientLimits_andScopeMixing() throws Exception {
    HttpClient browser = TrustingHttp.browser(server.tlsCertificate());
    Rp portal = new Rp("portal", portalSecret);
    HttpResponse<String> unregistered = browser.send(HttpRequest.newBuilder(new AuthenticationRequest.Builder(
            ResponseType.CODE, new Scope("openid"), new ClientID("portal"), URI.create("https://evil.example/cb"))
        .endpointURI(provider.getAuthorizationEndpointURI()).state(new State()).nonce(new Nonce())
        .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build().toURI()).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unregistered.statusCode()).isEqualTo(400);
    assertThat(unregistered.headers().firstValue("Location")).isEmpty();

    Rp signOnly = new Rp("sign-only", new Secret("unused"));
    HttpResponse<String> notForLogin = signOnly.authorize(browser, null, null);
    assertThat(AuthenticationResponseParser.parse(location(notForLogin)).toErrorResponse().getErrorObject().getCode())
        .isEqualTo("unauthorized_client");

    HttpResponse<String> notForSigning = browser.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
        + "/oauth2/authorize?response_type=code&client_id=login-only&redirect_uri=" + enc(REDIRECT.toString())
        + "&scope=credential&credentialID=" + credentialId + "&hashes=" + "A".repeat(43)
        + "&code_challenge=" + s256("x".repeat(50)) + "&code_challenge_method=S256")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(query(location(notForSigning), "error")).isEqualTo("unauthorized_client");

    // A form another site started (its own page handle) does not count in this browser: no login CSRF.
    HttpResponse<String> attackersPage = portal.authorize(TrustingHttp.browser(server.tlsCertificate()), null, null);
    HttpResponse<String> forged = postForm(browser, "/oauth2/authorize", Map.of("request", handle(attackersPage.body()),
        "user", "anna", "password", PASSWORD, "otp", "123456", "action", "approve"));
    assertThat(forged.statusCode()).isEqualTo(400);
    assertThat(forged.body()).contains("not opened in this browser");

    // A code obtained for one redirect_uri is not exchanged for another.
    URI back = portal.loginWithPassword(browser, nextCode(), null);
    AuthorizationCode code = AuthenticationResponseParser.parse(back).toSuccessResponse().getAuthorizationCode();
    HTTPRequest swapped = new TokenRequest(provider.getTokenEndpointURI(), new ClientSecretBasic(new ClientID("portal"),
        portalSecret), new AuthorizationCodeGrant(code, URI.create("https://portal.example/other"), portal.verifier))
        .toHTTPRequest();
    swapped.setSSLSocketFactory(tls);
    assertThat(OIDCTokenResponseParser.parse(swapped.send()).toErrorResponse().getErrorObject().getCode())
        .isEqualTo("invalid_grant");
  }

  @Test
  void expiredAccessToken_isRefusedByUserinfo() throws Exception {
    // Its own server: this test moves the clock past the token's life.
    MutableClock clock = new MutableClock(Instant.now());
    Path other = Files.createTempDirectory("dsm-oidc-expiry");
    try (ReferenceServer s = ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(-1)
        .withDataDirectory(other).withAdminToken(org.opendsm.Secret.of(ADMIN)), clock)) {
      HttpClient http = TrustingHttp.client(s.tlsCertificate());
      AdminApi admin = new AdminApi(s.baseUrl(), s.tlsCertificate(), ADMIN);
      String secret = admin.post("/admin/clients", Map.of("clientId", "rp", "redirectUris",
          List.of(REDIRECT.toString()))).get("clientSecret").asText();
      String enrolment = admin.post("/admin/users", Map.of("userId", "bob", "displayName", "Bob"))
          .get("enrolmentCode").asText();
      String totp = admin.post("/enrol/begin", Map.of("code", enrolment, "password", PASSWORD)).get("secret").asText();
      byte[] bobSeed = Base32.decode(totp + "=".repeat((8 - totp.length() % 8) % 8));
      admin.post("/enrol/complete", Map.of("code", enrolment, "password", PASSWORD,
          "otp", Totp.code(bobSeed, Totp.step(clock.instant()))));
      clock.advance(Duration.ofSeconds(30));
      HttpClient browser = TrustingHttp.browser(s.tlsCertificate());
      HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(s.baseUrl()
          + "/oauth2/authorize?response_type=code&client_id=rp&scope=openid&redirect_uri=" + enc(REDIRECT.toString())
          + "&code_challenge=" + s256("w".repeat(50)) + "&code_challenge_method=S256")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> login = send(browser, s, "/oauth2/authorize", Map.of("request", handle(page.body()),
          "user", "bob", "password", PASSWORD, "otp", Totp.code(bobSeed, Totp.step(clock.instant())),
          "action", "approve"));
      String code = query(location(login), "code");
      JsonNode tokens = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/oauth2/token"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&client_id=rp&client_secret="
              + enc(secret) + "&code=" + enc(code) + "&redirect_uri=" + enc(REDIRECT.toString()) + "&code_verifier="
              + "w".repeat(50))).build(), HttpResponse.BodyHandlers.ofString()).body());
      String access = tokens.get("access_token").asText();
      HttpRequest userinfo = HttpRequest.newBuilder(URI.create(s.baseUrl() + "/oauth2/userinfo"))
          .header("Authorization", "Bearer " + access).GET().build();
      assertThat(http.send(userinfo, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

      clock.advance(Duration.ofMinutes(11));
      HttpResponse<String> expired = http.send(userinfo, HttpResponse.BodyHandlers.ofString());
      assertThat(expired.statusCode()).isEqualTo(401);
      assertThat(expired.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
    }
  }

  /** A relying party as an application would write it with the Nimbus SDK. */
  private static final class Rp {
    final ClientID clientId;
    final Secret secret;
    final Nonce nonce = new Nonce();
    final State state = new State();
    final CodeVerifier verifier = new CodeVerifier();

    Rp(String clientId, Secret secret) {
      this.clientId = new ClientID(clientId);
      this.secret = secret;
    }

    URI authorizationUri(Prompt.Type prompt, Integer maxAge) {
      AuthenticationRequest.Builder b = new AuthenticationRequest.Builder(ResponseType.CODE,
          new Scope("openid", "profile"), clientId, REDIRECT).endpointURI(provider.getAuthorizationEndpointURI())
          .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256);
      if (prompt != null) {
        b.prompt(new Prompt(prompt));
      }
      if (maxAge != null) {
        b.maxAge(maxAge);
      }
      return b.build().toURI();
    }

    HttpResponse<String> authorize(HttpClient browser, Prompt.Type prompt, Integer maxAge) throws Exception {
      return browser.send(HttpRequest.newBuilder(authorizationUri(prompt, maxAge)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> submitPassword(HttpClient browser, String otp, Prompt.Type prompt) throws Exception {
      HttpResponse<String> page = authorize(browser, prompt, null);
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      return postForm(browser, "/oauth2/authorize", Map.of("request", handle(page.body()), "user", "anna",
          "password", PASSWORD, "otp", otp, "action", "approve"));
    }

    /** The user types password and code on the service's page; back at the client with a code. */
    URI loginWithPassword(HttpClient browser, String otp, Prompt.Type prompt) throws Exception {
      HttpResponse<String> r = submitPassword(browser, otp, prompt);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
      assertThat(r.headers().firstValue("Set-Cookie").orElseThrow())
          .startsWith("__Host-dsm_session=").contains("Secure", "HttpOnly", "SameSite=Lax", "Path=/");
      return location(r);
    }

    HTTPResponse exchange(URI back) throws Exception {
      AuthenticationResponse response = AuthenticationResponseParser.parse(back);
      assertThat(response.getState()).isEqualTo(state);
      AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
      HTTPRequest request = new TokenRequest(provider.getTokenEndpointURI(), new ClientSecretBasic(clientId, secret),
          new AuthorizationCodeGrant(code, REDIRECT, verifier)).toHTTPRequest();
      request.setSSLSocketFactory(tls);
      return request.send();
    }

    IDTokenValidator validator() throws Exception {
      return new IDTokenValidator(provider.getIssuer(), clientId, JWSAlgorithm.ES256,
          provider.getJWKSetURI().toURL(), new DefaultResourceRetriever(5000, 5000, 0, true, tls));
    }

    IDTokenClaimsSet validate(JWT idToken) throws Exception {
      return validator().validate(idToken, nonce);
    }
  }

  private static com.nimbusds.openid.connect.sdk.token.OIDCTokens tokens(HTTPResponse response) throws Exception {
    var parsed = OIDCTokenResponseParser.parse(response);
    assertThat(parsed.indicatesSuccess()).as(response.getBody()).isTrue();
    return ((OIDCTokenResponse) parsed.toSuccessResponse()).getOIDCTokens();
  }

  /** The code of the next 30 s step: each login needs a code never used before. */
  private static String nextCode() {
    CLOCK.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    return Totp.code(seed, Totp.step(CLOCK.instant()));
  }

  private static HttpResponse<String> postForm(HttpClient browser, String path, Map<String, String> fields)
      throws Exception {
    return send(browser, server, path, fields);
  }

  private static HttpResponse<String> send(HttpClient browser, ReferenceServer s, String path, Map<String, String> fields)
      throws Exception {
    StringBuilder form = new StringBuilder();
    fields.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
    return browser.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String handle(String html) {
    return html.replaceAll("(?s).*name=\"request\" value=\"([^\"]+)\".*", "$1");
  }

  private static URI location(HttpResponse<String> r) {
    return URI.create(r.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
        "No redirect (" + r.statusCode() + "): " + r.body())));
  }

  private static String query(URI uri, String name) {
    for (String pair : uri.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals(name)) {
        return java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("No " + name + " in " + uri);
  }

  private static String s256(String verifier) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(DigestAlgorithm.SHA256.digest(verifier.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static JsonNode admin(String path, Map<String, Object> body) {
    return new AdminApi(server.baseUrl(), server.tlsCertificate(), ADMIN).post(path, body);
  }
}
