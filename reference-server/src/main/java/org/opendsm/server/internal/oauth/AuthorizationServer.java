package org.opendsm.server.internal.oauth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.accounts.AuthenticationException;
import org.opendsm.server.internal.audit.AuditTrail;
import org.opendsm.server.internal.clients.Clients;
import org.opendsm.server.internal.crypto.Aead;
import org.opendsm.server.internal.crypto.Hkdf;
import org.opendsm.server.internal.signing.SigningService;
import org.opendsm.server.internal.vault.SoftwareVault;

/**
 * OAuth2 authorization code flow with PKCE (S256 only) in front of the login page. The user types
 * the signing password and the TOTP code on this server's page, never in the ASP.
 *
 * <p>For {@code scope=credential} the login authorises exactly the hashes of the request (SCAL2)
 * and the resulting SAD becomes the access token; it travels to the token endpoint sealed under a
 * key derived from the one-time code, which is stored only as a hash.
 */
public final class AuthorizationServer {
  static final Duration REQUEST_LIFETIME = Duration.ofMinutes(10);
  static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Jdbi jdbi;
  private final Clients clients;
  private final Accounts accounts;
  private final SigningService signing;
  private final Sessions sessions;
  private final OpenIdProvider openId;
  private final AuditTrail audit;
  private final Clock clock;

  public AuthorizationServer(Jdbi jdbi, Clients clients, Accounts accounts, SigningService signing, Sessions sessions,
      OpenIdProvider openId, AuditTrail audit, Clock clock) {
    this.jdbi = jdbi;
    this.clients = clients;
    this.accounts = accounts;
    this.signing = signing;
    this.sessions = sessions;
    this.openId = openId;
    this.audit = audit;
    this.clock = clock;
  }

  public Sessions sessions() {
    return sessions;
  }

  public OpenIdProvider openId() {
    return openId;
  }

  /** An error to show on our own page: the redirect URI could not be trusted. */
  public static final class PageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PageError(String message) {
      super(message);
    }
  }

  /** An error to send back to the client's redirect URI. */
  public static final class RedirectError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String location;

    RedirectError(String location) {
      super("redirect");
      this.location = location;
    }

    public String location() {
      return location;
    }
  }

  /**
   * What the login page shows and posts back. {@code sessionUser} is set when a live session lets
   * the user approve a signature with the one-time code alone.
   */
  public record Pending(String handle, String clientName, String scope, int documents, String verificationCode,
      String description, String sessionUser, List<String> labels) {
    public boolean signing() {
      return "credential".equals(scope);
    }
  }

  /** What the browser sees next: the login page, or straight back to the client (single sign-on). */
  public sealed interface Step permits ShowPage, Redirect {}

  public record ShowPage(Pending pending) implements Step {}

  public record Redirect(String location) implements Step {}

  /** Where to send the browser after a login, and the session cookie to set, if one started. */
  public record LoginResult(String location, Secret sessionCookie) {}

  /**
   * Validates an authorization request. An OpenID Connect login that a live session satisfies
   * goes straight back to the client; anything else is stored behind a random handle for the
   * login form.
   *
   * @param sessionCookie the browser's session cookie, or null
   * @param browser the browser's binding cookie: only a form posted from the same browser counts
   *     (no login CSRF: another site cannot post a form it started elsewhere)
   */
  public Step begin(AuthorizeRequest r, String sessionCookie, String browser) {
    Clients.ClientInfo client = clients.find(r.clientId())
        .orElseThrow(() -> new PageError("Unknown application (client_id)."));
    if (r.redirectUri() == null || !client.redirectUris().contains(r.redirectUri())) {
      throw new PageError("The application's redirect address is not registered.");
    }
    if (!"code".equals(r.responseType())) {
      throw redirect(r.redirectUri(), "unsupported_response_type", "response_type must be code", r.state());
    }
    if (r.codeChallenge() == null || !"S256".equals(r.codeChallengeMethod())) {
      throw redirect(r.redirectUri(), "invalid_request", "PKCE with code_challenge_method=S256 is required", r.state());
    }
    if (r.labels().stream().anyMatch(l -> l.length() > 200)) {
      throw redirect(r.redirectUri(), "invalid_request", "A document label is longer than 200 characters", r.state());
    }
    if (r.state() != null && r.state().length() > 1000 || r.description() != null && r.description().length() > 500
        || r.digests().size() > 100 || r.credentialId() != null && r.credentialId().length() > 64) {
      throw redirect(r.redirectUri(), "invalid_request",
          "state (1000), description (500), credentialID (64) or hashes (100) too long", null);
    }
    String scope = scope(r, client);
    if (r.nonce() != null && r.nonce().length() > 512) {
      throw redirect(r.redirectUri(), "invalid_request", "nonce too long (512)", r.state());
    }
    if (r.maxAge() != null && r.maxAge() < 0) {
      throw redirect(r.redirectUri(), "invalid_request", "max_age must not be negative", r.state());
    }
    Sessions.Session session = sessionCookie == null ? null : sessions.find(sessionCookie).orElse(null);
    boolean openid = isOpenId(scope);
    if (openid && !"login".equals(r.prompt())) {
      boolean fresh = session != null
          && (r.maxAge() == null || clock.millis() - session.authTimeMillis() <= r.maxAge() * 1000);
      if (fresh) {
        sessions.loggedInTo(session, client.id());
        String code = issueCode(client.id(), r.redirectUri(), r.codeChallenge(), scope, session.userId(), null, null,
            r.nonce(), session.authTimeMillis(), session.id(), "single sign-on");
        return new Redirect(withCode(r.redirectUri(), code, r.state()));
      }
      if ("none".equals(r.prompt())) {
        throw redirect(r.redirectUri(), "login_required", "The user is not signed in", r.state());
      }
    } else if ("none".equals(r.prompt())) {
      throw redirect(r.redirectUri(), "interaction_required", "This request needs the user", r.state());
    }
    List<byte[]> digests = "credential".equals(scope) ? r.digests() : List.of();
    if ("credential".equals(scope) && (r.credentialId() == null || digests.isEmpty())) {
      throw redirect(r.redirectUri(), "invalid_request", "credentialID and hashes are required for scope credential",
          r.state());
    }
    if ("credential".equals(scope) && r.numSignatures() != null && r.numSignatures() != digests.size()) {
      throw redirect(r.redirectUri(), "invalid_request", "numSignatures must equal the number of hashes", r.state());
    }
    String handle = random();
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO oauth_requests (handle_hash, client_id, redirect_uri, scope, state,"
            + " code_challenge, credential_id, hash_algo, digests, labels, description, nonce, prompt, max_age,"
            + " browser_hash, expires_at) VALUES (:h, :c, :r, :s, :st, :cc, :cred, :a, :d, :l, :desc, :n, :p, :m, :b, :x)")
        .bind("h", sha(handle)).bind("c", client.id()).bind("r", r.redirectUri()).bind("s", scope)
        .bind("st", r.state()).bind("cc", r.codeChallenge()).bind("cred", r.credentialId())
        .bind("a", r.hashAlgorithm() == null ? null : r.hashAlgorithm().name())
        .bind("d", String.join(",", digests.stream().map(d -> Base64.getEncoder().encodeToString(d)).toList()))
        .bind("l", labels(digests.isEmpty() ? List.of() : r.labels()))
        .bind("desc", r.description()).bind("b", sha(Objects.requireNonNull(browser, "browser"))).bind("n", r.nonce()).bind("p", r.prompt()).bind("m", r.maxAge())
        .bind("x", clock.millis() + REQUEST_LIFETIME.toMillis()).execute());
    String sessionUser = "credential".equals(scope) && !"login".equals(r.prompt())
        && canSignInSession(session, client.id(), r.credentialId()) ? session.userId() : null;
    return new ShowPage(new Pending(handle, client.name(), scope, digests.size(), verificationCode(digests),
        r.description(), sessionUser, digests.isEmpty() ? List.of() : clean(r.labels())));
  }

  /** The scope of a request, checked against what the client may do. */
  private static String scope(AuthorizeRequest r, Clients.ClientInfo client) {
    String scope = r.scope() == null ? "service" : r.scope().trim().replaceAll(" +", " ");
    java.util.Set<String> words = new java.util.LinkedHashSet<>(List.of(scope.split(" ")));
    if (words.contains("openid")) {
      // A login; with "service" its access token also lists the user's credentials (CSC).
      if (!java.util.Set.of("openid", "profile", "service").containsAll(words)) {
        throw redirect(r.redirectUri(), "invalid_scope", "openid combines only with profile and service", r.state());
      }
      if (!client.may(Clients.Use.LOGIN)) {
        throw redirect(r.redirectUri(), "unauthorized_client", "This application may not log users in", r.state());
      }
      if (words.contains("service") && !client.may(Clients.Use.SIGNING)) {
        throw redirect(r.redirectUri(), "unauthorized_client", "This application may not ask for signatures", r.state());
      }
      return String.join(" ", words);
    }
    if (!scope.equals("service") && !scope.equals("credential")) {
      throw redirect(r.redirectUri(), "invalid_scope", "scope must be openid, service or credential", r.state());
    }
    if (!client.may(Clients.Use.SIGNING)) {
      throw redirect(r.redirectUri(), "unauthorized_client", "This application may not ask for signatures", r.state());
    }
    return scope;
  }

  /** Labels as the page shows them: control characters (and so line breaks) become spaces. */
  private static List<String> clean(List<String> labels) {
    return labels.stream().map(l -> l.replaceAll("\\p{Cntrl}", " ").strip()).toList();
  }

  /** Stored one per line, in the digests' order. */
  private static String labels(List<String> labels) {
    return labels.isEmpty() ? null : String.join("\n", clean(labels));
  }

  static boolean isOpenId(String scope) {
    return scope != null && List.of(scope.split(" ")).contains("openid");
  }

  /** A session lets its user approve with the code alone if it came from this client's login. */
  private boolean canSignInSession(Sessions.Session session, String clientId, String credentialId) {
    return session != null && clientId.equals(session.clientId())
        && accounts.authMode(session.userId()) == Accounts.AuthMode.OAUTH2CODE
        && accounts.credential(session.userId(), credentialId).isPresent();
  }

  /** The pending request behind a form handle, to show the page again. */
  public Optional<Pending> pending(String handle, String sessionCookie) {
    return load(handle).map(p -> {
      String name = clients.find(p.clientId()).map(Clients.ClientInfo::name).orElse(p.clientId());
      Sessions.Session session = sessionCookie == null ? null : sessions.find(sessionCookie).orElse(null);
      String sessionUser = "credential".equals(p.scope()) && !"login".equals(p.prompt())
          && canSignInSession(session, p.clientId(), p.credentialId()) ? session.userId() : null;
      return new Pending(handle, name, p.scope(), p.digests().size(), verificationCode(p.digests()), p.description(),
          sessionUser, p.labels());
    });
  }

  /**
   * The user submitted the login form with both factors. Returns where to send the browser (the
   * client's redirect URI with a code) and, for an OpenID Connect login, the new session's cookie;
   * or throws {@link AuthenticationException} to show the form again.
   */
  public LoginResult login(String handle, String browser, String userId, Secret password, String otp)
      throws AuthenticationException {
    Stored p = loadFrom(handle, browser);
    if (userId == null || userId.length() > 64) {
      throw AuthenticationException.failed();
    }
    if ("credential".equals(p.scope())) {
      String credentialId = p.credentialId();
      if (accounts.credential(userId, credentialId).isEmpty()
          || accounts.authMode(userId) != Accounts.AuthMode.OAUTH2CODE) {
        accounts.authenticate(userId, password, otp, "oauth2/authorize").close();
        throw AuthenticationException.failed();
      }
      SigningService.Authorization auth = signing.authorize(p.clientId(), userId, credentialId, password, otp,
          DigestAlgorithm.valueOf(p.hashAlgorithm()), p.digests());
      return new LoginResult(finish(handle, p, userId, auth, null), null);
    }
    try (SoftwareVault.Unlocked unlocked = accounts.authenticate(userId, password, otp, "oauth2/authorize")) {
      if (!isOpenId(p.scope())) {
        return new LoginResult(finish(handle, p, userId, null, null), null);
      }
      Sessions.Started started = sessions.start(userId, p.clientId(), unlocked);
      return new LoginResult(finish(handle, p, userId, null, started.session()), started.cookie());
    }
  }

  /**
   * The user approved a signature with the one-time code alone, inside a session that the same
   * client's login started: the password's material comes from the session's escrow, the second
   * factor is fresh and bound to the hashes.
   */
  public String loginInSession(String handle, String browser, String sessionCookie, String otp)
      throws AuthenticationException {
    Stored p = loadFrom(handle, browser);
    Sessions.Session session = sessionCookie == null ? null : sessions.find(sessionCookie).orElse(null);
    if (!"credential".equals(p.scope()) || "login".equals(p.prompt())
        || !canSignInSession(session, p.clientId(), p.credentialId())) {
      throw new PageError("Your session with the signing service has ended. Return to the application and start"
          + " again.");
    }
    try (SoftwareVault.Unlocked unlocked = sessions.unlock(session, sessionCookie)) {
      SigningService.Authorization auth = signing.authorizeInSession(p.clientId(), session.userId(),
          p.credentialId(), unlocked, otp, DigestAlgorithm.valueOf(p.hashAlgorithm()), p.digests());
      return finish(handle, p, session.userId(), auth, null);
    } catch (SoftwareVault.Refused e) {
      throw new PageError("Your session with the signing service has ended. Return to the application and start"
          + " again.");
    }
  }

  /** Spends the request and issues its code. */
  private String finish(String handle, Stored p, String userId, SigningService.Authorization auth,
      Sessions.Session session) {
    String code = random();
    byte[] sealedSad = auth == null ? null
        : Aead.seal(codeKey(code), auth.sad().getBytes(StandardCharsets.US_ASCII), "oauth2-code");
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM oauth_requests WHERE handle_hash = :h").bind("h", sha(handle)).execute();
      insertCode(h, code, p.clientId(), p.redirectUri(), p.codeChallenge(), p.scope(), userId,
          auth == null ? null : p.credentialId(), sealedSad, p.nonce(), session == null ? clock.millis()
              : session.authTimeMillis(), session == null ? null : session.id(), "login");
    });
    return withCode(p.redirectUri(), code, p.state());
  }

  private String issueCode(String clientId, String redirectUri, String challenge, String scope, String userId,
      String credentialId, byte[] sealedSad, String nonce, long authTime, String sessionId, String how) {
    String code = random();
    jdbi.useTransaction(h -> insertCode(h, code, clientId, redirectUri, challenge, scope, userId, credentialId,
        sealedSad, nonce, authTime, sessionId, how));
    return code;
  }

  private void insertCode(org.jdbi.v3.core.Handle h, String code, String clientId, String redirectUri,
      String challenge, String scope, String userId, String credentialId, byte[] sealedSad, String nonce,
      long authTime, String sessionId, String how) {
    h.createUpdate("INSERT INTO auth_codes (code_hash, client_id, redirect_uri, code_challenge, scope, user_id,"
            + " credential_id, sealed_sad, nonce, auth_time, session_id, expires_at)"
            + " VALUES (:c, :cl, :r, :cc, :s, :u, :cred, :sad, :n, :at, :sid, :x)")
        .bind("c", sha(code)).bind("cl", clientId).bind("r", redirectUri).bind("cc", challenge)
        .bind("s", scope).bind("u", userId).bind("cred", credentialId).bind("sad", sealedSad).bind("n", nonce)
        .bind("at", authTime).bind("sid", sessionId).bind("x", clock.millis() + CODE_LIFETIME.toMillis()).execute();
    audit.append(h, "oauth2.code.issued", clientId, userId, Map.of("scope", scope, "via", how));
  }

  private static String withCode(String redirectUri, String code, String state) {
    return redirectUri + (redirectUri.contains("?") ? "&" : "?") + "code=" + enc(code)
        + (state == null ? "" : "&state=" + enc(state));
  }

  /**
   * RP-initiated logout: ends the browser's session, and the one the ID token names. Returns
   * where to send the browser: {@code postLogoutRedirectUri} with the state if it is registered
   * for the token's client, otherwise empty (our own "signed out" page).
   *
   * @throws PageError if the ID token was not issued here
   */
  public Optional<String> logout(String sessionCookie, String idTokenHint, String postLogoutRedirectUri,
      String state) {
    com.nimbusds.jwt.JWTClaimsSet claims = null;
    if (idTokenHint != null) {
      claims = openId.verifyHint(idTokenHint).orElseThrow(() -> new PageError(
          "The sign-out request carries an ID token this service did not issue."));
    }
    if (sessionCookie != null) {
      sessions.end(sessionCookie, "logout");
    }
    Object sid = claims == null ? null : claims.getClaim("sid");
    if (sid instanceof String sessionId) {
      sessions.endById(sessionId, "logout");
    }
    if (claims == null || postLogoutRedirectUri == null || claims.getAudience().size() != 1) {
      return Optional.empty();
    }
    boolean registered = clients.find(claims.getAudience().get(0))
        .map(c -> c.redirectUris().contains(postLogoutRedirectUri)).orElse(false);
    return registered ? Optional.of(postLogoutRedirectUri + (state == null ? ""
        : (postLogoutRedirectUri.contains("?") ? "&" : "?") + "state=" + enc(state))) : Optional.empty();
  }

  /** The user cancelled: back to the client with access_denied. */
  public String cancel(String handle, String browser) {
    Stored p = loadFrom(handle, browser);
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM oauth_requests WHERE handle_hash = :h").bind("h", sha(handle)).execute());
    return redirect(p.redirectUri(), "access_denied", "The user cancelled", p.state()).location();
  }

  /** The token endpoint's authorization_code grant; the code works once. */
  public Clients.Token exchange(String clientId, String code, String redirectUri, String verifier) {
    Map<String, Object> row = jdbi.inTransaction(h -> {
      Optional<Map<String, Object>> found = h.createQuery("SELECT client_id, redirect_uri, code_challenge, scope, user_id,"
              + " credential_id, sealed_sad, nonce, auth_time, session_id, expires_at FROM auth_codes"
              + " WHERE code_hash = :c FOR UPDATE")
          .bind("c", sha(code == null ? "" : code)).mapToMap().findOne();
      found.ifPresent(r -> h.createUpdate("DELETE FROM auth_codes WHERE code_hash = :c").bind("c", sha(code)).execute());
      return found.orElse(null);
    });
    if (row == null || ((Number) row.get("expires_at")).longValue() <= clock.millis()
        || !clientId.equals(row.get("client_id"))) {
      throw new TokenError("invalid_grant", "The authorization code is invalid, expired or already used");
    }
    if (!row.get("redirect_uri").equals(redirectUri)) {
      throw new TokenError("invalid_grant", "redirect_uri does not match the authorization request");
    }
    if (verifier == null || !MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII),
        ((String) row.get("code_challenge")).getBytes(StandardCharsets.US_ASCII))) {
      throw new TokenError("invalid_grant", "code_verifier does not match the code_challenge");
    }
    if ("credential".equals(row.get("scope"))) {
      try {
        String sad = new String(Aead.open(codeKey(code), (byte[]) row.get("sealed_sad"), "oauth2-code"),
            StandardCharsets.US_ASCII);
        return new Clients.Token(Secret.of(sad), SigningService.SAD_LIFETIME.toSeconds());
      } catch (Aead.DecryptionFailed e) {
        throw new TokenError("invalid_grant", "The authorization code is invalid, expired or already used");
      }
    }
    String userId = (String) row.get("user_id");
    String scope = (String) row.get("scope");
    if (isOpenId(scope)) {
      String name = List.of(scope.split(" ")).contains("profile") ? accounts.displayName(userId).orElse(null) : null;
      String idToken = openId.idToken(new OpenIdProvider.Login(clientId, userId,
          ((Number) row.get("auth_time")).longValue(), (String) row.get("nonce"), (String) row.get("session_id"), name));
      return clients.issueUserToken(clientId, userId, scope, idToken);
    }
    return clients.issueServiceToken(clientId, userId);
  }

  /** A token endpoint error (HTTP 400). */
  public static final class TokenError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String error;

    TokenError(String error, String description) {
      super(description);
      this.error = error;
    }

    public String error() {
      return error;
    }
  }

  private record Stored(String clientId, String redirectUri, String scope, String state, String codeChallenge,
      String credentialId, String hashAlgorithm, List<byte[]> digests, String description, String nonce,
      String prompt, List<String> labels, byte[] browserHash) {}

  /** The pending request behind a form handle, if this browser opened it. */
  private Stored loadFrom(String handle, String browser) {
    Stored p = load(handle).orElseThrow(() -> new PageError(
        "This sign-in page has expired. Return to the application and start again."));
    if (browser == null || !MessageDigest.isEqual(sha(browser), p.browserHash())) {
      throw new PageError("This sign-in page was not opened in this browser. Return to the application and start"
          + " again.");
    }
    return p;
  }

  private Optional<Stored> load(String handle) {
    if (handle == null || handle.isEmpty()) {
      return Optional.empty();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM oauth_requests WHERE handle_hash = :h AND expires_at > :now")
        .bind("h", sha(handle)).bind("now", clock.millis())
        .map((rs, ctx) -> {
          List<byte[]> digests = new ArrayList<>();
          String d = rs.getString("digests");
          if (d != null && !d.isEmpty()) {
            for (String s : d.split(",")) {
              digests.add(Base64.getDecoder().decode(s));
            }
          }
          return new Stored(rs.getString("client_id"), rs.getString("redirect_uri"), rs.getString("scope"),
              rs.getString("state"), rs.getString("code_challenge"), rs.getString("credential_id"),
              rs.getString("hash_algo"), digests, rs.getString("description"), rs.getString("nonce"),
              rs.getString("prompt"), rs.getString("labels") == null || rs.getString("labels").isEmpty() ? List.of()
                  : List.of(rs.getString("labels").split("\n", -1)), rs.getBytes("browser_hash"));
        }).findOne());
  }

  /**
   * A short code derived from the hashes (first 8 hex digits of their SHA-256), which the ASP can
   * show beside the documents so the user sees both pages speak of the same thing.
   */
  public static String verificationCode(List<byte[]> digests) {
    if (digests.isEmpty()) {
      return "";
    }
    var md = DigestAlgorithm.SHA256.newMessageDigest();
    digests.forEach(md::update);
    String hex = HexFormat.of().withUpperCase().formatHex(md.digest()).substring(0, 8);
    return hex.substring(0, 4) + "-" + hex.substring(4);
  }

  static String s256(String verifier) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(DigestAlgorithm.SHA256.digest(verifier.getBytes(StandardCharsets.US_ASCII)));
  }

  private static RedirectError redirect(String uri, String error, String description, String state) {
    return new RedirectError(uri + (uri.contains("?") ? "&" : "?") + "error=" + enc(error) + "&error_description="
        + enc(description) + (state == null ? "" : "&state=" + enc(state)));
  }

  private static byte[] codeKey(String code) {
    return Hkdf.derive(code.getBytes(StandardCharsets.US_ASCII), new byte[0], "opendsm/oauth2-code-sad/v1", 32);
  }

  private static byte[] sha(String s) {
    return DigestAlgorithm.SHA256.digest(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
