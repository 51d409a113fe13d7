package org.opendsm.server.internal.clients;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.server.internal.audit.AuditTrail;

/**
 * Application service providers (ASPs) registered as OAuth2 clients, and the opaque access tokens
 * issued to them. Client secrets and tokens are stored as SHA-256 hashes only.
 */
public final class Clients {
  public static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Jdbi jdbi;
  private final AuditTrail audit;
  private final Clock clock;

  public Clients(Jdbi jdbi, AuditTrail audit, Clock clock) {
    this.jdbi = jdbi;
    this.audit = audit;
    this.clock = clock;
  }

  /** A registered client; the secret is shown once. */
  public record Registration(String clientId, Secret clientSecret) {}

  public static final Duration REFRESH_LIFETIME = Duration.ofDays(30);

  /**
   * A bearer token and, for a user's service token, a refresh token, for an OpenID Connect login
   * an ID token; shown once.
   */
  public record Token(Secret accessToken, long expiresIn, Secret refreshToken, String idToken) {
    public Token(Secret accessToken, long expiresIn) {
      this(accessToken, expiresIn, null, null);
    }

    public Token(Secret accessToken, long expiresIn, Secret refreshToken) {
      this(accessToken, expiresIn, refreshToken, null);
    }

    @Override
    public String toString() {
      return "Token[redacted, expires in " + expiresIn + " s]";
    }
  }

  /** How long the access token of an OpenID Connect login lives (it opens only userinfo). */
  public static final Duration USER_TOKEN_LIFETIME = Duration.ofMinutes(10);

  /**
   * The access token of an OpenID Connect login: it opens the userinfo endpoint, and the CSC
   * credentials calls of that user only if the scope includes {@code service}.
   */
  public Token issueUserToken(String clientId, String userId, String scope, String idToken) {
    String token = random();
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO access_tokens (token_hash, client_id, user_id, scope, expires_at)"
            + " VALUES (:t, :c, :u, :s, :x)")
        .bind("t", hash(token)).bind("c", clientId).bind("u", userId).bind("s", scope)
        .bind("x", clock.millis() + USER_TOKEN_LIFETIME.toMillis()).execute());
    return new Token(Secret.of(token), USER_TOKEN_LIFETIME.toSeconds(), null, idToken);
  }

  /**
   * Who a valid token speaks for: a client; a user when the token came from a login; and one
   * credential for a credential-scope token.
   */
  public record Principal(String clientId, String userId, String scope, String credentialId) {}

  /** What a client may ask of its users: to log in (OpenID Connect), to sign (CSC), or both. */
  public enum Use {
    LOGIN, SIGNING;

    public static Set<Use> parse(List<String> names) {
      if (names == null || names.isEmpty()) {
        return EnumSet.allOf(Use.class);
      }
      Set<Use> uses = EnumSet.noneOf(Use.class);
      for (String n : names) {
        try {
          uses.add(valueOf(n.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("Unknown use '" + n + "': say login, signing or both");
        }
      }
      return uses;
    }

    static String encode(Set<Use> uses) {
      return String.join(" ", uses.stream().map(u -> u.name().toLowerCase(Locale.ROOT)).toList());
    }
  }

  public Registration register(String actor, String clientId, String name, List<String> redirectUris) {
    return register(actor, clientId, name, redirectUris, EnumSet.allOf(Use.class));
  }

  public Registration register(String actor, String clientId, String name, List<String> redirectUris, Set<Use> uses) {
    if (clientId == null || !clientId.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("client_id must be 1 to 64 letters, digits or . _ -");
    }
    if (uses.isEmpty()) {
      throw new IllegalArgumentException("A client needs at least one use: login, signing or both");
    }
    for (String uri : redirectUris) {
      checkRedirectUri(uri);
    }
    String secret = random();
    jdbi.useTransaction(h -> {
      if (h.createQuery("SELECT COUNT(*) FROM clients WHERE id = :id").bind("id", clientId).mapTo(Integer.class).one() > 0) {
        throw new IllegalArgumentException("Client '" + clientId + "' already exists");
      }
      h.createUpdate("INSERT INTO clients (id, name, secret_hash, redirect_uris, uses, created_at)"
              + " VALUES (:id, :n, :s, :r, :u, :now)")
          .bind("id", clientId).bind("n", name).bind("s", hash(secret)).bind("r", String.join(" ", redirectUris))
          .bind("u", Use.encode(uses)).bind("now", clock.millis()).execute();
      audit.append(h, "client.registered", actor, clientId, Map.of("name", name, "redirectUris", redirectUris,
          "uses", Use.encode(uses)));
    });
    return new Registration(clientId, Secret.of(secret));
  }

  /** Checks a client's credentials in constant time; empty if unknown or wrong. */
  public boolean authenticate(String clientId, Secret secret) {
    byte[] stored = jdbi.withHandle(h -> h.createQuery("SELECT secret_hash FROM clients WHERE id = :id")
        .bind("id", clientId == null ? "" : clientId).mapTo(byte[].class).findOne().orElse(new byte[32]));
    return MessageDigest.isEqual(stored, hash(secret.reveal())) && clientId != null;
  }

  /** A registered client as the login page shows it. */
  public record ClientInfo(String id, String name, List<String> redirectUris, Set<Use> uses) {
    public boolean may(Use use) {
      return uses.contains(use);
    }
  }

  public Optional<ClientInfo> find(String clientId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id, name, redirect_uris, uses FROM clients WHERE id = :id")
        .bind("id", clientId == null ? "" : clientId)
        .map((rs, ctx) -> new ClientInfo(rs.getString("id"), rs.getString("name"),
            List.of(rs.getString("redirect_uris").split(" ")), Use.parse(List.of(rs.getString("uses").split(" ")))))
        .findOne());
  }

  /** A service-scope token for a client (client_credentials grant). */
  public Token issueServiceToken(String clientId) {
    return issueServiceToken(clientId, null);
  }

  /**
   * A service-scope token for a client; with a user (authorization code grant) also a refresh
   * token.
   */
  public Token issueServiceToken(String clientId, String userId) {
    String token = random();
    String refresh = userId == null ? null : random();
    jdbi.useTransaction(h -> {
      if (refresh != null) {
        h.createUpdate("INSERT INTO refresh_tokens (token_hash, client_id, user_id, expires_at) VALUES (:t, :c, :u, :x)")
            .bind("t", hash(refresh)).bind("c", clientId).bind("u", userId)
            .bind("x", clock.millis() + REFRESH_LIFETIME.toMillis()).execute();
      }
      h.createUpdate("INSERT INTO access_tokens (token_hash, client_id, user_id, scope, expires_at, refresh_hash)"
              + " VALUES (:t, :c, :u, 'service', :x, :r)")
          .bind("t", hash(token)).bind("c", clientId).bind("u", userId)
          .bind("x", clock.millis() + TOKEN_LIFETIME.toMillis()).bind("r", refresh == null ? null : hash(refresh))
          .execute();
    });
    return new Token(Secret.of(token), TOKEN_LIFETIME.toSeconds(), refresh == null ? null : Secret.of(refresh));
  }

  /** The refresh_token grant: the old refresh token is spent, a new pair is issued. */
  public Optional<Token> refresh(String clientId, String refreshToken) {
    String userId = jdbi.inTransaction(h -> {
      Optional<String> user = h.createQuery("SELECT r.user_id FROM refresh_tokens r JOIN users u ON u.id = r.user_id"
              + " WHERE r.token_hash = :t AND r.client_id = :c AND r.expires_at > :now AND u.status = 'ACTIVE'"
              + " FOR UPDATE")
          .bind("t", hash(refreshToken)).bind("c", clientId).bind("now", clock.millis()).mapTo(String.class).findOne();
      user.ifPresent(u -> h.createUpdate("DELETE FROM refresh_tokens WHERE token_hash = :t")
          .bind("t", hash(refreshToken)).execute());
      return user.orElse(null);
    });
    return userId == null ? Optional.empty() : Optional.of(issueServiceToken(clientId, userId));
  }

  public Optional<Principal> resolve(String bearer) {
    if (bearer == null || bearer.isEmpty()) {
      return Optional.empty();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT client_id, user_id, scope FROM access_tokens"
            + " WHERE token_hash = :t AND expires_at > :now")
        .bind("t", hash(bearer)).bind("now", clock.millis())
        .map((rs, ctx) -> new Principal(rs.getString("client_id"), rs.getString("user_id"), rs.getString("scope"), null))
        .findOne());
  }

  /** Revokes an access token, or a refresh token together with the access tokens it issued. */
  public void revoke(String clientId, String token) {
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM access_tokens WHERE token_hash = :t AND client_id = :c")
          .bind("t", hash(token)).bind("c", clientId).execute();
      int refresh = h.createUpdate("DELETE FROM refresh_tokens WHERE token_hash = :t AND client_id = :c")
          .bind("t", hash(token)).bind("c", clientId).execute();
      if (refresh > 0) {
        h.createUpdate("DELETE FROM access_tokens WHERE refresh_hash = :t").bind("t", hash(token)).execute();
      }
    });
  }

  /** An absolute https URI (http only for localhost), no fragment, no whitespace. */
  private static void checkRedirectUri(String uri) {
    java.net.URI u;
    try {
      u = new java.net.URI(uri);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("Not a URI: " + uri, e);
    }
    String host = u.getHost();
    boolean local = "localhost".equals(host) || "127.0.0.1".equals(host);
    if (host == null || u.getFragment() != null || uri.length() > 2000
        || !("https".equals(u.getScheme()) || ("http".equals(u.getScheme()) && local))) {
      throw new IllegalArgumentException("Redirect URI must be absolute https (http only on localhost), without"
          + " fragment: " + uri);
    }
  }

  static byte[] hash(String s) {
    return DigestAlgorithm.SHA256.digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
