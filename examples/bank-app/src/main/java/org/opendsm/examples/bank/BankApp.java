package org.opendsm.examples.bank;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.StringWriter;
import java.net.URI;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.opendsm.Document;
import org.opendsm.MediaType;
import org.opendsm.PreparedSignature;
import org.opendsm.Secret;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureReport;
import org.opendsm.SignatureValue;
import org.opendsm.SignedDocument;
import org.opendsm.TrustSettings;
import org.opendsm.VerificationReport;
import org.opendsm.Verifier;
import org.opendsm.client.DsmClient;
import org.opendsm.client.OAuth2Signing;
import org.opendsm.client.ServerTimestampSource;
import org.opendsm.pades.PadesOptions;
import org.opendsm.pades.PadesService;
import org.opendsm.protocol.CredentialInfo;

/**
 * An example application service provider: a bank whose customers log in with the signing
 * service (OpenID Connect: password + one-time code, once for every connected application) and
 * then sign a loan contract there (CSC in OAuth2 mode: the PDF is prepared here, only its hash
 * travels, the customer approves on the service's page, the bank completes the PAdES-B-LT
 * signature and verifies it).
 *
 * <pre>{@code
 * BankApp.start(new BankApp.Settings(URI.create("https://localhost:8443"), serviceTlsCertificate,
 *     List.of(serviceRootCertificate), "bank", clientSecret, 8090));
 * }</pre>
 *
 * <p>Register it with redirect URIs {@code http://localhost:PORT/callback}, {@code /signed} and
 * {@code /} (after logout). The bank keeps its state in the server-side session only; the
 * browser holds a session cookie and nothing else.
 */
public final class BankApp implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * @param signingService the signing service's HTTPS base URL (its OpenID Connect issuer)
   * @param serviceTlsCertificate the certificate to trust for its TLS (null: the JDK's trust store)
   * @param trustAnchors the roots signatures are verified against (the service's root)
   * @param clientId this bank's client id at the service
   * @param clientSecret its secret
   * @param port where the bank listens on localhost (0: any free port)
   */
  public record Settings(URI signingService, X509Certificate serviceTlsCertificate, List<X509Certificate> trustAnchors,
      String clientId, Secret clientSecret, int port) {
    public Settings {
      Objects.requireNonNull(signingService, "signingService");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      trustAnchors = List.copyOf(trustAnchors);
    }

    @Override
    public String toString() {
      return "Settings[" + signingService + ", " + clientId + ", secret redacted]";
    }
  }

  private final Settings settings;
  private final Javalin app;
  private final DsmClient dsm;
  private final OIDCProviderMetadata provider;
  private final SSLSocketFactory tls;
  private final PadesService pades;
  private final Verifier verifier;
  private final Mustache page;
  private final byte[] stylesheet;

  private BankApp(Settings settings) throws Exception {
    this.settings = settings;
    SSLContext ssl = sslContext(settings.serviceTlsCertificate());
    this.tls = ssl.getSocketFactory();
    DsmClient.Builder client = DsmClient.builder().baseUrl(settings.signingService()).clientId(settings.clientId())
        .clientSecret(settings.clientSecret()).userAgent("opendsm-bank-example/0.1");
    if (settings.serviceTlsCertificate() != null) {
      client.trust(settings.serviceTlsCertificate());
    }
    this.dsm = client.build();
    HTTPRequest discovery = new HTTPRequest(HTTPRequest.Method.GET,
        URI.create(settings.signingService() + "/.well-known/openid-configuration"));
    discovery.setSSLSocketFactory(tls);
    this.provider = OIDCProviderMetadata.parse(discovery.send().getBodyAsJSONObject());
    TrustSettings.Builder trust = TrustSettings.builder();
    settings.trustAnchors().forEach(trust::addTrustAnchor);
    this.pades = PadesService.create(ServiceSettings.builder().trust(trust.build())
        .timestampSource(new ServerTimestampSource(dsm)).build());
    this.verifier = Verifier.create(trust.build());
    this.page = new DefaultMustacheFactory("org/opendsm/examples/bank").compile("page.mustache");
    try (var in = BankApp.class.getResourceAsStream("/org/opendsm/examples/bank/bank.css")) {
      this.stylesheet = in.readAllBytes();
    }
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.before(ctx -> {
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self' "
            + settings.signingService() + "; frame-ancestors 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
      });
      config.routes.get("/bank.css", ctx -> ctx.contentType("text/css").result(stylesheet));
      config.routes.get("/", this::home);
      config.routes.get("/login", this::login);
      config.routes.get("/callback", this::callback);
      config.routes.post("/contract", this::prepareContract);
      config.routes.get("/signed", this::signed);
      config.routes.get("/loan-contract.pdf", this::download);
      config.routes.post("/logout", this::logout);
    });
  }

  public static BankApp start(Settings settings) throws Exception {
    BankApp bank = new BankApp(settings);
    bank.app.start("127.0.0.1", settings.port());
    return bank;
  }

  public int port() {
    return app.port();
  }

  public URI baseUrl() {
    return URI.create("http://localhost:" + port());
  }

  // --- pages ---

  private void home(Context ctx) {
    Map<String, Object> model = new HashMap<>();
    Customer customer = ctx.sessionAttribute("customer");
    if (customer != null) {
      model.put("customer", customer.name());
      model.put("csrf", csrf(ctx));
      Signed signed = ctx.sessionAttribute("signed");
      if (signed != null) {
        model.put("signed", signed);
      }
    }
    String notice = ctx.sessionAttribute("notice");
    ctx.sessionAttribute("notice", null);
    model.put("notice", notice);
    render(ctx, model);
  }

  /** Sends the customer to the signing service's login page (OpenID Connect, PKCE). */
  private void login(Context ctx) {
    LoginAttempt attempt = new LoginAttempt(new State(), new Nonce(), new CodeVerifier());
    ctx.sessionAttribute("login", attempt);
    URI uri = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile", "service"),
        new ClientID(settings.clientId()), URI.create(baseUrl() + "/callback"))
        .endpointURI(provider.getAuthorizationEndpointURI()).state(attempt.state()).nonce(attempt.nonce())
        .codeChallenge(attempt.verifier(), CodeChallengeMethod.S256).build().toURI();
    ctx.redirect(uri.toString(), HttpStatus.FOUND);
  }

  /** Back from the login: state checked, code exchanged, ID token validated against the JWK set. */
  private void callback(Context ctx) throws Exception {
    LoginAttempt attempt = ctx.sessionAttribute("login");
    ctx.sessionAttribute("login", null);
    AuthenticationResponse response = AuthenticationResponseParser.parse(URI.create(ctx.fullUrl()));
    if (attempt == null || !attempt.state().equals(response.getState())) {
      back(ctx, "That sign-in link is not from this browser session. Please log in again.");
      return;
    }
    if (!response.indicatesSuccess()) {
      back(ctx, "Login cancelled or refused (" + response.toErrorResponse().getErrorObject().getCode() + ").");
      return;
    }
    HTTPRequest token = new TokenRequest(provider.getTokenEndpointURI(), new ClientSecretBasic(
        new ClientID(settings.clientId()), new com.nimbusds.oauth2.sdk.auth.Secret(settings.clientSecret().reveal())),
        new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(),
            URI.create(baseUrl() + "/callback"), attempt.verifier())).toHTTPRequest();
    token.setSSLSocketFactory(tls);
    var parsed = OIDCTokenResponseParser.parse(token.send());
    if (!parsed.indicatesSuccess()) {
      back(ctx, "The signing service refused the login (" + parsed.toErrorResponse().getErrorObject().getCode() + ").");
      return;
    }
    var tokens = ((OIDCTokenResponse) parsed.toSuccessResponse()).getOIDCTokens();
    IDTokenClaimsSet claims = new IDTokenValidator(provider.getIssuer(), new ClientID(settings.clientId()),
        JWSAlgorithm.ES256, provider.getJWKSetURI().toURL(), new DefaultResourceRetriever(5000, 5000, 0, true, tls))
        .validate(tokens.getIDToken(), attempt.nonce());
    String name = claims.getStringClaim("name");
    ctx.req().changeSessionId();
    ctx.sessionAttribute("customer", new Customer(claims.getSubject().getValue(), name == null ? "customer" : name,
        tokens.getAccessToken().getValue(), tokens.getIDToken().getParsedString()));
    ctx.redirect("/", HttpStatus.FOUND);
  }

  /**
   * Writes the contract, prepares its PAdES signature with the customer's certificate and sends
   * the customer to approve it on the signing service (a fresh one-time code is enough right
   * after the login).
   */
  private void prepareContract(Context ctx) throws Exception {
    Customer customer = requireCustomer(ctx);
    if (customer == null) {
      return;
    }
    List<CredentialInfo> credentials = dsm.listCredentialsWithToken(customer.accessToken()).credentialInfos();
    if (credentials == null || credentials.isEmpty()) {
      back(ctx, "You have no signing certificate at the signing service yet.");
      return;
    }
    CredentialInfo credential = credentials.get(0);
    List<X509Certificate> chain = new ArrayList<>();
    for (String c : credential.cert().certificates()) {
      chain.add((X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(c))));
    }
    Document contract = Document.of(LoanContract.pdf(customer.name(), "EUR 25,000", 60),
        "loan-contract.pdf", MediaType.PDF);
    PreparedSignature prepared = pades.prepare(contract, PadesOptions.builder().level(SignatureLevel.LT)
        .reason("Loan contract").location("Luxembourg").build(), chain);
    OAuth2Signing.Pending pending = OAuth2Signing.begin(dsm, credential.credentialID(), List.of(prepared),
        URI.create(baseUrl() + "/signed"));
    ctx.sessionAttribute("pending", pending.toJson());
    ctx.sessionAttribute("contract", contract.readAllBytes());
    Map<String, Object> model = new HashMap<>();
    model.put("customer", customer.name());
    model.put("confirm", Map.of("code", pending.verificationCode(), "url", pending.authorizationUrl().toString()));
    render(ctx, model);
  }

  /** Back from the signing service: the value is checked and the signed PDF assembled and verified. */
  private void signed(Context ctx) {
    String json = ctx.sessionAttribute("pending");
    byte[] contract = ctx.sessionAttribute("contract");
    ctx.sessionAttribute("pending", null);
    if (json == null || contract == null) {
      back(ctx, "No signature was pending in this session.");
      return;
    }
    if (ctx.queryParam("error") != null) {
      back(ctx, "access_denied".equals(ctx.queryParam("error")) ? "You cancelled the signature."
          : "The signing service refused the signature (" + ctx.queryParam("error") + ").");
      return;
    }
    OAuth2Signing.Pending pending = OAuth2Signing.Pending.fromJson(json);
    List<SignatureValue> values = OAuth2Signing.finish(dsm, pending, ctx.queryParam("code"), ctx.queryParam("state"));
    SignedDocument signed = pades.complete(Document.of(contract, "loan-contract.pdf", MediaType.PDF),
        pending.prepared().get(0), values.get(0));
    byte[] bytes = signed.document().readAllBytes();
    VerificationReport report = verifier.verify(Document.of(bytes, "loan-contract-signed.pdf", MediaType.PDF));
    SignatureReport s = report.signatures().get(0);
    ctx.sessionAttribute("signed", new Signed(bytes, s.signer(), s.formatName(), s.indication().name(),
        String.valueOf(s.signingTime())));
    ctx.redirect("/", HttpStatus.FOUND);
  }

  private void download(Context ctx) {
    Signed signed = ctx.sessionAttribute("signed");
    if (signed == null || ctx.sessionAttribute("customer") == null) {
      ctx.status(404).result("No signed contract in this session");
      return;
    }
    ctx.header("Content-Disposition", "attachment; filename=\"loan-contract-signed.pdf\"");
    ctx.contentType("application/pdf").result(signed.pdf());
  }

  /** Ends the bank's session, then the signing service's (RP-initiated logout). */
  private void logout(Context ctx) {
    Customer customer = requireCustomer(ctx);
    if (customer == null) {
      return;
    }
    ctx.req().getSession().invalidate();
    try {
      JWT idToken = JWTParser.parse(customer.idToken());
      ctx.redirect(new LogoutRequest(provider.getEndSessionEndpointURI(), idToken, URI.create(baseUrl() + "/"),
          new State()).toURI().toString(), HttpStatus.FOUND);
    } catch (java.text.ParseException e) {
      ctx.redirect("/", HttpStatus.FOUND);
    }
  }

  // --- helpers ---

  /** The logged-in customer after a CSRF check of the form; null (and a redirect) otherwise. */
  private Customer requireCustomer(Context ctx) {
    Customer customer = ctx.sessionAttribute("customer");
    String expected = ctx.sessionAttribute("csrf");
    String given = ctx.formParam("csrf");
    if (customer == null || expected == null || given == null
        || !MessageDigest.isEqual(expected.getBytes(), given.getBytes())) {
      back(ctx, "Please log in first.");
      return null;
    }
    return customer;
  }

  private static String csrf(Context ctx) {
    String token = ctx.sessionAttribute("csrf");
    if (token == null) {
      byte[] b = new byte[24];
      RANDOM.nextBytes(b);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      ctx.sessionAttribute("csrf", token);
    }
    return token;
  }

  private static void back(Context ctx, String notice) {
    ctx.sessionAttribute("notice", notice);
    ctx.redirect("/", HttpStatus.FOUND);
  }

  private void render(Context ctx, Map<String, Object> model) {
    model.put("service", settings.signingService().getHost());
    StringWriter out = new StringWriter();
    page.execute(out, model);
    ctx.html(out.toString());
  }

  private static SSLContext sslContext(X509Certificate trusted) throws Exception {
    if (trusted == null) {
      return SSLContext.getDefault();
    }
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("service", trusted);
    javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  /** What the bank remembers of a login; the tokens stay server-side. */
  record Customer(String subject, String name, String accessToken, String idToken) {
    @Override
    public String toString() {
      return "Customer[" + subject + ", tokens redacted]";
    }
  }

  record LoginAttempt(State state, Nonce nonce, CodeVerifier verifier) {
    @Override
    public String toString() {
      return "LoginAttempt[redacted]";
    }
  }

  /** The signed contract and what verification said about it. */
  public record Signed(byte[] pdf, String signer, String format, String indication, String signingTime) {}

  @Override
  public void close() {
    app.stop();
    dsm.close();
  }

  /**
   * {@code BankApp} from the environment: DSM_URL (default https://localhost:8443), DSM_TLS_CERT and
   * DSM_ROOT_CERT (PEM files; default: the data directory of {@code ./dsm server}), BANK_CLIENT_ID
   * (default bank), BANK_CLIENT_SECRET, BANK_PORT (default 8090).
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    String secret = env.get("BANK_CLIENT_SECRET");
    if (secret == null) {
      System.err.println("Set BANK_CLIENT_SECRET to the secret 'dsm admin create-client' printed.");
      System.exit(2);
    }
    java.nio.file.Path data = java.nio.file.Path.of(env.getOrDefault("DSM_DATA", "dsm-data"));
    X509Certificate tlsCert = pem(java.nio.file.Path.of(env.getOrDefault("DSM_TLS_CERT",
        data.resolve("tls.pem").toString())));
    X509Certificate root = pem(java.nio.file.Path.of(env.getOrDefault("DSM_ROOT_CERT",
        data.resolve("root.pem").toString())));
    BankApp bank = start(new Settings(URI.create(env.getOrDefault("DSM_URL", "https://localhost:8443")), tlsCert,
        List.of(root), env.getOrDefault("BANK_CLIENT_ID", "bank"), Secret.of(secret),
        Integer.parseInt(env.getOrDefault("BANK_PORT", "8090"))));
    System.out.println("Example bank on " + bank.baseUrl() + " (Ctrl-C stops it)");
  }

  private static X509Certificate pem(java.nio.file.Path file) throws Exception {
    try (var in = java.nio.file.Files.newInputStream(file)) {
      return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
