package org.opendsm.server.internal.clients;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /** A bearer token; shown once. */
  public record Token(Secret accessToken, long expiresIn) {}

  /** Who a valid token speaks for. */
  public record Principal(String clientId, String userId, String scope) {}

  public Registration register(String actor, String clientId, String name, List<String> redirectUris) {
    if (clientId == null || !clientId.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("client_id must be 1 to 64 letters, digits or . _ -");
    }
    for (String uri : redirectUris) {
      if (!uri.startsWith("https://") && !uri.startsWith("http://localhost") && !uri.startsWith("http://127.0.0.1")) {
        throw new IllegalArgumentException("Redirect URI must use https (or http on localhost): " + uri);
      }
    }
    String secret = random();
    jdbi.useTransaction(h -> {
      if (h.createQuery("SELECT COUNT(*) FROM clients WHERE id = :id").bind("id", clientId).mapTo(Integer.class).one() > 0) {
        throw new IllegalArgumentException("Client '" + clientId + "' already exists");
      }
      h.createUpdate("INSERT INTO clients (id, name, secret_hash, redirect_uris, created_at) VALUES (:id, :n, :s, :r, :now)")
          .bind("id", clientId).bind("n", name).bind("s", hash(secret)).bind("r", String.join(" ", redirectUris))
          .bind("now", clock.millis()).execute();
      audit.append(h, "client.registered", actor, clientId, Map.of("name", name, "redirectUris", redirectUris));
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
  public record ClientInfo(String id, String name, List<String> redirectUris) {}

  public Optional<ClientInfo> find(String clientId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id, name, redirect_uris FROM clients WHERE id = :id")
        .bind("id", clientId == null ? "" : clientId)
        .map((rs, ctx) -> new ClientInfo(rs.getString("id"), rs.getString("name"),
            List.of(rs.getString("redirect_uris").split(" ")))).findOne());
  }

  /** A service-scope token for a client (client_credentials grant). */
  public Token issueServiceToken(String clientId) {
    return issueServiceToken(clientId, null);
  }

  /** A service-scope token for a client acting for a user who logged in (authorization code grant). */
  public Token issueServiceToken(String clientId, String userId) {
    String token = random();
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO access_tokens (token_hash, client_id, user_id, scope, expires_at)"
            + " VALUES (:t, :c, :u, 'service', :x)")
        .bind("t", hash(token)).bind("c", clientId).bind("u", userId)
        .bind("x", clock.millis() + TOKEN_LIFETIME.toMillis()).execute());
    return new Token(Secret.of(token), TOKEN_LIFETIME.toSeconds());
  }

  public Optional<Principal> resolve(String bearer) {
    if (bearer == null || bearer.isEmpty()) {
      return Optional.empty();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT client_id, user_id, scope FROM access_tokens"
            + " WHERE token_hash = :t AND expires_at > :now")
        .bind("t", hash(bearer)).bind("now", clock.millis())
        .map((rs, ctx) -> new Principal(rs.getString("client_id"), rs.getString("user_id"), rs.getString("scope")))
        .findOne());
  }

  public void revoke(String token) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM access_tokens WHERE token_hash = :t").bind("t", hash(token)).execute());
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
