package org.opendsm.server.internal.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.opendsm.DigestAlgorithm;
import org.opendsm.server.internal.store.Sequences;

/**
 * Append-only, hash-chained record of security events. Each entry's hash covers the previous
 * entry's hash and its own fields, so a modified, deleted or reordered entry breaks the chain at
 * that point. Appends from every node are serialised by a row lock on the 'audit' sequence.
 *
 * <p>Details never contain secrets: callers pass identifiers, counts and digests only.
 */
public final class AuditTrail {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] GENESIS = new byte[32];

  /** Told of every appended event (metrics); must be quick and must not fail. */
  public interface Listener {
    void appended(String event, Map<String, ?> details);
  }

  private final Jdbi jdbi;
  private final Clock clock;
  private volatile Listener listener = (event, details) -> { };

  public AuditTrail(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public void listen(Listener l) {
    this.listener = l;
  }

  /** The hash of the newest entry (the chain head), or zeros for an empty trail. */
  public byte[] head() {
    return jdbi.withHandle(h -> h.createQuery("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1")
        .mapTo(byte[].class).findOne().orElse(GENESIS));
  }

  /** Appends in its own transaction. */
  public long append(String event, String actor, String subject, Map<String, ?> details) {
    return jdbi.inTransaction(h -> append(h, event, actor, subject, details));
  }

  /** Appends inside the caller's transaction: the event commits or rolls back with the action. */
  public long append(Handle h, String event, String actor, String subject, Map<String, ?> details) {
    long seq = Sequences.next(h, "audit");
    byte[] prev = h.createQuery("SELECT hash FROM audit WHERE seq = :s").bind("s", seq - 1)
        .mapTo(byte[].class).findOne().orElse(GENESIS);
    long at = clock.millis();
    String detailsJson = json(details);
    byte[] hash = hash(prev, seq, at, event, actor, subject, detailsJson);
    h.createUpdate("INSERT INTO audit (seq, at, event, actor, subject, details, prev_hash, hash)"
            + " VALUES (:seq, :at, :event, :actor, :subject, :details, :prev, :hash)")
        .bind("seq", seq).bind("at", at).bind("event", event).bind("actor", actor)
        .bind("subject", subject).bind("details", detailsJson).bind("prev", prev).bind("hash", hash)
        .execute();
    listener.appended(event, details);
    return seq;
  }

  /** One entry as the account page lists it. */
  public record Entry(long seq, long at, String event, String actor, String details) {}

  /** The newest entries about {@code subject}, newest first. */
  public List<Entry> recent(String subject, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT seq, at, event, actor, details FROM audit WHERE subject = :s"
            + " ORDER BY seq DESC LIMIT :n").bind("s", subject).bind("n", limit)
        .map((rs, ctx) -> new Entry(rs.getLong("seq"), rs.getLong("at"), rs.getString("event"), rs.getString("actor"),
            rs.getString("details"))).list());
  }

  /** One broken link of the chain. */
  public record Problem(long seq, String description) {}

  /** Walks the whole chain; empty means intact. */
  public List<Problem> verify() {
    List<Problem> problems = new ArrayList<>();
    jdbi.useHandle(h -> {
      byte[] prev = GENESIS;
      long expected = 1;
      try (var rows = h.createQuery("SELECT seq, at, event, actor, subject, details, prev_hash, hash"
          + " FROM audit ORDER BY seq").mapToMap().stream()) {
        for (Map<String, Object> r : (Iterable<Map<String, Object>>) rows::iterator) {
          long seq = ((Number) r.get("seq")).longValue();
          if (seq != expected) {
            problems.add(new Problem(expected, "entries " + expected + " to " + (seq - 1) + " are missing"));
          }
          byte[] storedPrev = (byte[]) r.get("prev_hash");
          byte[] computed = hash(storedPrev, seq, ((Number) r.get("at")).longValue(), (String) r.get("event"),
              (String) r.get("actor"), (String) r.get("subject"), (String) r.get("details"));
          if (!MessageDigest.isEqual(storedPrev, prev)) {
            problems.add(new Problem(seq, "entry " + seq + " does not follow entry " + (seq - 1)
                + " (deleted, reordered or re-linked)"));
          } else if (!MessageDigest.isEqual(computed, (byte[]) r.get("hash"))) {
            problems.add(new Problem(seq, "entry " + seq + " was modified"));
          }
          prev = (byte[]) r.get("hash");
          expected = seq + 1;
        }
      }
      long issued = h.createQuery("SELECT next_value FROM sequences WHERE name = 'audit'").mapTo(Long.class).one() - 1;
      if (issued >= expected) {
        problems.add(new Problem(expected, "entries " + expected + " to " + issued + " are missing"));
      }
    });
    return problems;
  }

  private static byte[] hash(byte[] prev, long seq, long at, String event, String actor, String subject,
      String details) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(prev);
      out.writeLong(seq);
      out.writeLong(at);
      for (String s : new String[] {event, actor, subject, details}) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return DigestAlgorithm.SHA256.digest(bytes.toByteArray());
  }

  private static String json(Map<String, ?> details) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(details));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Audit details must be plain values", e);
    }
  }
}
