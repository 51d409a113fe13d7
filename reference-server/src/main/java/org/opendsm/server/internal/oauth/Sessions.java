package org.opendsm.server.internal.oauth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.server.internal.audit.AuditTrail;
import org.opendsm.server.internal.vault.SoftwareVault;

/**
 * A user's session with the signing service, started by a two-factor login and carried by a
 * cookie ({@code __Host-dsm_session}: Secure, HttpOnly, SameSite=Lax). It lets the user log in to
 * other applications without typing the password again (single sign-on), and lets the
 * application the user last logged in through ask for a signature with a fresh TOTP code alone.
 *
 * <p>The cookie value is 256 random bits stored only as a hash. The password's Argon2 output is
 * escrowed under a key derived from it and the master key, so a database dump cannot use a session
 * and the session cannot outlive its cookie. Sessions end after {@link #IDLE} without use, after
 * {@link #MAXIMUM} in any case, and at logout.
 */
public final class Sessions {
  public static final String COOKIE = "__Host-dsm_session";
  public static final Duration IDLE = Duration.ofMinutes(10);
  public static final Duration MAXIMUM = Duration.ofHours(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Jdbi jdbi;
  private final SoftwareVault vault;
  private final AuditTrail audit;
  private final Clock clock;

  public Sessions(Jdbi jdbi, SoftwareVault vault, AuditTrail audit, Clock clock) {
    this.jdbi = jdbi;
    this.vault = vault;
    this.audit = audit;
    this.clock = clock;
  }

  /** A live session: who, since when, and which application the user last logged in through. */
  public record Session(String id, String userId, String clientId, long authTimeMillis) {}

  /** A new session and the cookie value that carries it (shown once). */
  public record Started(Session session, Secret cookie) {}

  public Started start(String userId, String clientId, SoftwareVault.Unlocked unlocked) {
    byte[] token = new byte[32];
    RANDOM.nextBytes(token);
    String id = UUID.randomUUID().toString();
    long now = clock.millis();
    SoftwareVault.Escrow escrow = vault.escrow(unlocked, token, escrowId(id));
    jdbi.useTransaction(h -> {
      h.createUpdate("INSERT INTO sessions (id, token_hash, user_id, client_id, auth_time, last_seen, expires_at, escrow,"
              + " master_gen) VALUES (:id, :t, :u, :c, :now, :now, :x, :e, :g)")
          .bind("id", id).bind("t", DigestAlgorithm.SHA256.digest(token)).bind("u", userId).bind("c", clientId)
          .bind("now", now).bind("x", now + IDLE.toMillis()).bind("e", escrow.sealed())
          .bind("g", escrow.generation()).execute();
      audit.append(h, "session.started", actor(clientId, userId), userId, Map.of("session", id));
    });
    return new Started(new Session(id, userId, clientId, now),
        Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(token)));
  }

  /** The live session behind a cookie value, its idle timer restarted; empty if none. */
  public Optional<Session> find(String cookie) {
    byte[] token = decode(cookie);
    if (token == null) {
      return Optional.empty();
    }
    long now = clock.millis();
    return jdbi.inTransaction(h -> {
      Optional<Session> s = h.createQuery("SELECT s.id, s.user_id, s.client_id, s.auth_time FROM sessions s"
              + " JOIN users u ON u.id = s.user_id WHERE s.token_hash = :t AND s.expires_at > :now"
              + " AND u.status = 'ACTIVE'")
          .bind("t", DigestAlgorithm.SHA256.digest(token)).bind("now", now)
          .map((rs, ctx) -> new Session(rs.getString("id"), rs.getString("user_id"), rs.getString("client_id"),
              rs.getLong("auth_time"))).findOne();
      s.ifPresent(found -> h.createUpdate("UPDATE sessions SET last_seen = :now, expires_at = :x WHERE id = :id")
          .bind("now", now).bind("x", Math.min(now + IDLE.toMillis(), found.authTimeMillis() + MAXIMUM.toMillis()))
          .bind("id", found.id()).execute());
      return s;
    });
  }

  /** Records that the user logged in to {@code clientId} through this session. */
  public void loggedInTo(Session session, String clientId) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE sessions SET client_id = :c WHERE id = :id")
        .bind("c", clientId).bind("id", session.id()).execute());
  }

  /** The password's unlocked material the session escrowed; only the cookie's holder opens it. */
  public SoftwareVault.Unlocked unlock(Session session, String cookie) throws SoftwareVault.Refused {
    byte[] token = decode(cookie);
    SoftwareVault.Escrow escrow = jdbi.withHandle(h -> h.createQuery(
            "SELECT escrow, master_gen FROM sessions WHERE id = :id AND escrow IS NOT NULL").bind("id", session.id())
        .map((rs, ctx) -> new SoftwareVault.Escrow(rs.getBytes("escrow"), rs.getInt("master_gen"))).findOne()
        .orElse(null));
    if (token == null || escrow == null) {
      throw new SoftwareVault.Refused();
    }
    return vault.unlockWithSad(escrow, token, escrowId(session.id()));
  }

  /** Ends the session behind a cookie value (logout); true if there was one. */
  public boolean end(String cookie, String reason) {
    byte[] token = decode(cookie);
    if (token == null) {
      return false;
    }
    return jdbi.inTransaction(h -> h.createQuery("SELECT id FROM sessions WHERE token_hash = :t")
        .bind("t", DigestAlgorithm.SHA256.digest(token)).mapTo(String.class).findOne()
        .map(id -> delete(h, id, reason)).orElse(false));
  }

  /** Ends every session of a user (after a password change). */
  public void endAll(String userId, String reason) {
    jdbi.useTransaction(h -> {
      int n = h.createUpdate("DELETE FROM sessions WHERE user_id = :u").bind("u", userId).execute();
      if (n > 0) {
        audit.append(h, "session.ended", userId, userId, Map.of("sessions", n, "reason", reason));
      }
    });
  }

  /** Ends a session by its id (the {@code sid} of an ID token). */
  public void endById(String sessionId, String reason) {
    jdbi.useTransaction(h -> delete(h, sessionId, reason));
  }

  /** Deletes one session and records it; false if there was none. */
  private boolean delete(org.jdbi.v3.core.Handle h, String sessionId, String reason) {
    Optional<Map<String, Object>> row = h.createQuery("SELECT user_id, client_id FROM sessions WHERE id = :id")
        .bind("id", sessionId).mapToMap().findOne();
    row.ifPresent(r -> {
      h.createUpdate("DELETE FROM sessions WHERE id = :id").bind("id", sessionId).execute();
      String userId = (String) r.get("user_id");
      audit.append(h, "session.ended", actor((String) r.get("client_id"), userId), userId,
          Map.of("session", sessionId, "reason", reason));
    });
    return row.isPresent();
  }

  /** Who a session's events are by: its application, or the user on the account page. */
  private static String actor(String clientId, String userId) {
    return clientId == null ? userId : clientId;
  }

  /** The escrow's key label: a session's, never confused with a SAD's. */
  private static String escrowId(String sessionId) {
    return "session:" + sessionId;
  }

  private static byte[] decode(String cookie) {
    if (cookie == null || cookie.length() != 43) {
      return null;
    }
    try {
      return Base64.getUrlDecoder().decode(cookie.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
