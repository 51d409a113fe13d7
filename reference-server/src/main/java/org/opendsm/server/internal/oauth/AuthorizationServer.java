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
  private final AuditTrail audit;
  private final Clock clock;

  public AuthorizationServer(Jdbi jdbi, Clients clients, Accounts accounts, SigningService signing, AuditTrail audit,
      Clock clock) {
    this.jdbi = jdbi;
    this.clients = clients;
    this.accounts = accounts;
    this.signing = signing;
    this.audit = audit;
    this.clock = clock;
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

  /** What the login page shows and posts back. */
  public record Pending(String handle, String clientName, String scope, int documents, String verificationCode,
      String description) {}

  /** Validates an authorization request and stores it behind a random handle for the login form. */
  public Pending begin(AuthorizeRequest r) {
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
    if (r.state() != null && r.state().length() > 1000 || r.description() != null && r.description().length() > 500
        || r.digests().size() > 100 || r.credentialId() != null && r.credentialId().length() > 64) {
      throw redirect(r.redirectUri(), "invalid_request",
          "state (1000), description (500), credentialID (64) or hashes (100) too long", null);
    }
    String scope = r.scope() == null ? "service" : r.scope();
    if (!scope.equals("service") && !scope.equals("credential")) {
      throw redirect(r.redirectUri(), "invalid_scope", "scope must be service or credential", r.state());
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
            + " code_challenge, credential_id, hash_algo, digests, description, expires_at)"
            + " VALUES (:h, :c, :r, :s, :st, :cc, :cred, :a, :d, :desc, :x)")
        .bind("h", sha(handle)).bind("c", client.id()).bind("r", r.redirectUri()).bind("s", scope)
        .bind("st", r.state()).bind("cc", r.codeChallenge()).bind("cred", r.credentialId())
        .bind("a", r.hashAlgorithm() == null ? null : r.hashAlgorithm().name())
        .bind("d", String.join(",", digests.stream().map(d -> Base64.getEncoder().encodeToString(d)).toList()))
        .bind("desc", r.description()).bind("x", clock.millis() + REQUEST_LIFETIME.toMillis()).execute());
    return new Pending(handle, client.name(), scope, digests.size(), verificationCode(digests), r.description());
  }

  /** The pending request behind a form handle, to show the page again. */
  public Optional<Pending> pending(String handle) {
    return load(handle).map(p -> {
      String name = clients.find(p.clientId()).map(Clients.ClientInfo::name).orElse(p.clientId());
      return new Pending(handle, name, p.scope(), p.digests().size(), verificationCode(p.digests()), p.description());
    });
  }

  /**
   * The user submitted the login form. Returns where to send the browser: the client's redirect
   * URI with a code, or throws {@link AuthenticationException} to show the form again.
   */
  public String login(String handle, String userId, Secret password, String otp) throws AuthenticationException {
    if (userId == null || userId.length() > 64) {
      throw AuthenticationException.failed();
    }
    Stored p = load(handle).orElseThrow(() -> new PageError(
        "This sign-in page has expired. Return to the application and start again."));
    String code = random();
    byte[] sealedSad = null;
    String credentialId = null;
    if ("credential".equals(p.scope())) {
      credentialId = p.credentialId();
      if (accounts.credential(userId, credentialId).isEmpty()
          || accounts.authMode(userId) != Accounts.AuthMode.OAUTH2CODE) {
        accounts.authenticate(userId, password, otp, "oauth2/authorize").close();
        throw AuthenticationException.failed();
      }
      SigningService.Authorization auth = signing.authorize(p.clientId(), userId, credentialId, password, otp,
          DigestAlgorithm.valueOf(p.hashAlgorithm()), p.digests());
      sealedSad = Aead.seal(codeKey(code), auth.sad().getBytes(StandardCharsets.US_ASCII), "oauth2-code");
    } else {
      accounts.authenticate(userId, password, otp, "oauth2/authorize").close();
    }
    byte[] sealed = sealedSad;
    String credential = credentialId;
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM oauth_requests WHERE handle_hash = :h").bind("h", sha(handle)).execute();
      h.createUpdate("INSERT INTO auth_codes (code_hash, client_id, redirect_uri, code_challenge, scope, user_id,"
              + " credential_id, sealed_sad, expires_at) VALUES (:c, :cl, :r, :cc, :s, :u, :cred, :sad, :x)")
          .bind("c", sha(code)).bind("cl", p.clientId()).bind("r", p.redirectUri()).bind("cc", p.codeChallenge())
          .bind("s", p.scope()).bind("u", userId).bind("cred", credential).bind("sad", sealed)
          .bind("x", clock.millis() + CODE_LIFETIME.toMillis()).execute();
      audit.append(h, "oauth2.code.issued", p.clientId(), userId, Map.of("scope", p.scope()));
    });
    return p.redirectUri() + (p.redirectUri().contains("?") ? "&" : "?") + "code=" + enc(code)
        + (p.state() == null ? "" : "&state=" + enc(p.state()));
  }

  /** The user cancelled: back to the client with access_denied. */
  public String cancel(String handle) {
    Stored p = load(handle).orElseThrow(() -> new PageError(
        "This sign-in page has expired. Return to the application and start again."));
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM oauth_requests WHERE handle_hash = :h").bind("h", sha(handle)).execute());
    return redirect(p.redirectUri(), "access_denied", "The user cancelled", p.state()).location();
  }

  /** The token endpoint's authorization_code grant; the code works once. */
  public Clients.Token exchange(String clientId, String code, String redirectUri, String verifier) {
    Map<String, Object> row = jdbi.inTransaction(h -> {
      Optional<Map<String, Object>> found = h.createQuery("SELECT client_id, redirect_uri, code_challenge, scope, user_id,"
              + " credential_id, sealed_sad, expires_at FROM auth_codes WHERE code_hash = :c FOR UPDATE")
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
    return clients.issueServiceToken(clientId, (String) row.get("user_id"));
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
      String credentialId, String hashAlgorithm, List<byte[]> digests, String description) {}

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
              rs.getString("hash_algo"), digests, rs.getString("description"));
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
