package org.opendsm.server.internal.vault;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.opendsm.server.internal.audit.AuditTrail;
import org.opendsm.server.internal.crypto.Aead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Master key rotation across the cluster, without downtime.
 *
 * <ol>
 *   <li>{@link #stage}: a node adds a new generation to its key file and records it (with a
 *       fingerprint) as staged. The operator copies the file to every node; each node reads it
 *       within {@link #EVERY} and reports the generations it holds.
 *   <li>{@link #activate}: refused until every live node holds the generation; then it seals
 *       every new value, and each node re-wraps old values in the background, a batch per tick:
 *       password verifiers and software-vault keys (the master key's layer only, no password
 *       needed), TOTP seeds, CA keys and server secrets. Values from before rotation existed
 *       (generation 0) move at their owner's next sign-in.
 *   <li>{@link #retire}: refused while anything (including a live SAD or session) is still sealed
 *       by the generation; then the generation is removed from this node's file, and the operator
 *       copies the file to the other nodes again.
 * </ol>
 *
 * <p>Nodes reach each other only through the database. Thread-safe.
 */
public final class MasterKeyRotation implements AutoCloseable {
  /** How often a node re-reads its key file, reports what it holds and re-wraps a batch. */
  public static final Duration EVERY = Duration.ofSeconds(10);
  /** A node that reported within this period counts as live (activation waits for it). */
  static final Duration LIVE = Duration.ofSeconds(60);
  private static final int BATCH = 200;
  private static final Logger LOG = LoggerFactory.getLogger(MasterKeyRotation.class);

  private final Jdbi jdbi;
  private final MasterKeyRing ring;
  private final SoftwareVault vault;
  private final KeyStorage keys;
  private final AuditTrail audit;
  private final Clock clock;
  private final String nodeId = UUID.randomUUID().toString();
  private final String description;
  private final ScheduledExecutorService timer;
  private volatile int clusterGeneration;

  /** Thrown when a rotation step cannot be taken now; the message says why and what to do. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** How many values one generation still seals, by kind. */
  public record Sealed(int passwords, int totpSeeds, int userKeys, int caKeys, int serverSecrets, int liveSads,
      int liveSessions) {
    public int total() {
      return passwords + totpSeeds + userKeys + caKeys + serverSecrets + liveSads + liveSessions;
    }
  }

  /** One generation as the cluster records it. */
  public record Generation(int generation, String state, long createdAt, long changedAt, Sealed sealed) {}

  /** One node's last report. */
  public record Node(String id, String description, List<Integer> generations, long seenAt, boolean live) {}

  public record Status(int current, List<Generation> generations, List<Node> nodes) {}

  /**
   * Registers this node's generations (refusing a file that holds another key under a number
   * the cluster knows) and takes the cluster's current generation.
   */
  public MasterKeyRotation(Jdbi jdbi, MasterKeyRing ring, SoftwareVault vault, KeyStorage keys, AuditTrail audit,
      Clock clock, String description) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.ring = Objects.requireNonNull(ring, "ring");
    this.vault = Objects.requireNonNull(vault, "vault");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.description = description;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dsm-master-key");
      t.setDaemon(true);
      return t;
    });
    try {
      register();
    } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
      if (!org.opendsm.server.internal.store.Database.duplicateKey(e)) {
        throw e;
      }
      register(); // two nodes of a new cluster started together: the other one recorded it first
    }
    markTokenKeys();
    refresh();
    report();
  }

  /** Starts the background tick ({@link #EVERY}). */
  public MasterKeyRotation start() {
    timer.scheduleWithFixedDelay(this::tickQuietly, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * One tick: re-reads the key file if it changed, reports the generations held, takes the
   * cluster's current generation and re-wraps up to one batch of each kind of value. Returns
   * the number of values re-wrapped.
   */
  public synchronized int tick() {
    if (ring.reloadIfChanged(this::checkAgainstCluster)) {
      register();
      LOG.info("Master key file read again: generations {}", ring.generations());
    }
    report();
    refresh();
    return sweep(BATCH);
  }

  /** Whether this node holds the generation the cluster seals with (readiness). */
  public boolean holdsCurrent() {
    return ring.generations().contains(clusterGeneration);
  }

  /** Adds a new generation to this node's key file and records it as staged; returns its number. */
  public synchronized int stage(String actor) throws Refused {
    int next = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(generation), 0) FROM master_keys")
        .mapTo(Integer.class).one()) + 1;
    if (ring.generations().contains(next)) {
      throw new Refused("This node's key file already holds generation " + next + " which the cluster does not know;"
          + " restart the node so it registers it");
    }
    MasterKey added = ring.addGeneration(next);
    try {
      jdbi.useTransaction(h -> {
        h.createUpdate("INSERT INTO master_keys (generation, check_value, state, created_at, changed_at)"
                + " VALUES (:g, :c, 'staged', :now, :now)").bind("g", next).bind("c", added.checkValue())
            .bind("now", clock.millis()).execute();
        audit.append(h, "master-key.staged", actor, "generation " + next, Map.of("generation", next));
      });
    } catch (RuntimeException e) {
      ring.removeGeneration(next);
      throw new Refused("Generation " + next + " could not be recorded (another node staged one at the same time?): "
          + e.getMessage());
    }
    report();
    return next;
  }

  /**
   * Makes {@code generation} the one that seals new values, once every live node holds it; old
   * values move to it in the background.
   */
  public synchronized void activate(int generation, String actor) throws Refused {
    Map<String, Object> row = generationRow(generation);
    if ("active".equals(row.get("state")) && generation == clusterGeneration) {
      return;
    }
    if (!"staged".equals(row.get("state"))) {
      throw new Refused("Generation " + generation + " is " + row.get("state") + "; only a staged generation is activated");
    }
    if (generation < clusterGeneration) {
      throw new Refused("Generation " + generation + " is older than the current " + clusterGeneration);
    }
    if (!ring.generations().contains(generation)) {
      throw new Refused("This node's key file does not hold generation " + generation);
    }
    report();
    List<String> missing = nodes().stream().filter(n -> n.live() && !n.generations().contains(generation))
        .map(n -> n.description() + " (" + n.id() + ")").toList();
    if (!missing.isEmpty()) {
      throw new Refused("Not every node holds generation " + generation + " yet: " + String.join(", ", missing)
          + ". Copy master-key.p12 from this node to them; they read it within " + EVERY.toSeconds() + " s");
    }
    jdbi.useTransaction(h -> {
      h.createUpdate("UPDATE master_keys SET state = 'active', changed_at = :now WHERE generation = :g")
          .bind("now", clock.millis()).bind("g", generation).execute();
      audit.append(h, "master-key.activated", actor, "generation " + generation, Map.of("generation", generation));
    });
    refresh();
    timer.execute(this::tickQuietly);
  }

  /**
   * Takes {@code generation} out of service: refused while it is current or still seals anything;
   * then it is removed from this node's key file.
   */
  public synchronized void retire(int generation, String actor) throws Refused {
    Map<String, Object> row = generationRow(generation);
    if ("retired".equals(row.get("state"))) {
      ring.removeGeneration(generation);
      return;
    }
    refresh();
    if (generation == clusterGeneration) {
      throw new Refused("Generation " + generation + " seals new values; activate a newer one first");
    }
    // A node without the current generation still seals with an older one: retiring that would
    // strand what it writes.
    report();
    int current = clusterGeneration;
    List<String> behind = nodes().stream().filter(n -> n.live() && !n.generations().contains(current))
        .map(n -> n.description() + " (" + n.id() + ")").toList();
    if (!behind.isEmpty()) {
      throw new Refused("Not every node holds generation " + current + ", which seals new values: "
          + String.join(", ", behind) + ". Copy master-key.p12 to them first");
    }
    Sealed left = sealedBy(generation);
    if (left.total() > 0) {
      throw new Refused("Generation " + generation + " still seals " + describe(left)
          + (left.passwords() + left.userKeys() > 0 && generation == 1
              ? "; values from before rotation move at their owner's next sign-in" : "")
          + (left.liveSads() + left.liveSessions() > 0 ? "; SADs and sessions expire within the hour" : ""));
    }
    jdbi.useTransaction(h -> {
      h.createUpdate("UPDATE master_keys SET state = 'retired', changed_at = :now WHERE generation = :g")
          .bind("now", clock.millis()).bind("g", generation).execute();
      audit.append(h, "master-key.retired", actor, "generation " + generation, Map.of("generation", generation));
    });
    ring.removeGeneration(generation);
    report();
  }

  /** Generations, what each still seals, and the nodes with the generations they hold. */
  public synchronized Status status() {
    refresh();
    List<Generation> generations = jdbi.withHandle(h -> h.createQuery(
            "SELECT generation, state, created_at, changed_at FROM master_keys ORDER BY generation").mapToMap().list())
        .stream().map(r -> {
          int g = ((Number) r.get("generation")).intValue();
          return new Generation(g, (String) r.get("state"), ((Number) r.get("created_at")).longValue(),
              ((Number) r.get("changed_at")).longValue(), sealedBy(g));
        }).toList();
    return new Status(clusterGeneration, generations, nodes());
  }

  /** What {@code generation} still seals; generation 1 also answers for generation 0. */
  public Sealed sealedBy(int generation) {
    long now = clock.millis();
    String gen = generation == 1 ? "IN (0, 1)" : "= " + generation;
    return jdbi.withHandle(h -> new Sealed(
        count(h, "SELECT COUNT(*) FROM users WHERE pwd_verifier IS NOT NULL AND pwd_master_gen " + gen, now),
        count(h, "SELECT COUNT(*) FROM users WHERE (totp_seed IS NOT NULL OR totp_pending IS NOT NULL)"
            + " AND totp_master_gen = " + generation, now),
        count(h, "SELECT COUNT(*) FROM credentials WHERE master_gen " + gen, now),
        count(h, "SELECT COUNT(*) FROM ca_keys WHERE master_gen = " + generation, now),
        count(h, "SELECT COUNT(*) FROM server_secrets WHERE master_gen = " + generation, now),
        count(h, "SELECT COUNT(*) FROM sads WHERE remaining > 0 AND expires_at > :now AND master_gen = " + generation,
            now),
        count(h, "SELECT COUNT(*) FROM sessions WHERE escrow IS NOT NULL AND expires_at > :now AND master_gen = "
            + generation, now)));
  }

  /** Re-wraps up to {@code limit} values of each kind sealed by an older generation; returns how many moved. */
  public synchronized int sweep(int limit) {
    if (!holdsCurrent() || ring.current().generation() != clusterGeneration) {
      return 0;
    }
    int current = clusterGeneration;
    int moved = sweepPasswords(current, limit) + sweepTotpSeeds(current, limit) + sweepUserKeys(current, limit)
        + sweepMasterSealed("ca_keys", "name", "sealed_key", MasterKeyRing.Purpose.CA_KEY, current, limit)
        + sweepMasterSealed("server_secrets", "name", "sealed", MasterKeyRing.Purpose.SERVER_SECRET, current, limit);
    if (moved > 0) {
      audit.append("master-key.rewrapped", "system", "generation " + current, Map.of("values", moved, "node", nodeId));
    }
    return moved;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  @Override
  public String toString() {
    return "MasterKeyRotation[node " + nodeId + ", generation " + clusterGeneration + "]";
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("Master key tick failed: {}", e.toString());
    }
  }

  /** Refuses key file contents that hold another key under a generation number the cluster knows. */
  private void checkAgainstCluster(Map<Integer, MasterKey> candidate) {
    Map<Integer, byte[]> known = new LinkedHashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT generation, check_value FROM master_keys").map((rs, ctx) -> {
      known.put(rs.getInt("generation"), rs.getBytes("check_value"));
      return null;
    }).list());
    for (Map.Entry<Integer, MasterKey> e : candidate.entrySet()) {
      byte[] check = known.get(e.getKey());
      if (check != null && !MessageDigest.isEqual(check, e.getValue().checkValue())) {
        throw new IllegalStateException("The new master-key.p12 holds another key under generation " + e.getKey()
            + " than the cluster's; the file was not taken");
      }
    }
  }

  /** Records the generations of this node's file; a different key under a known number is refused. */
  private void register() {
    jdbi.useTransaction(h -> {
      Map<Integer, byte[]> known = new LinkedHashMap<>();
      h.createQuery("SELECT generation, check_value FROM master_keys").map((rs, ctx) -> {
        known.put(rs.getInt("generation"), rs.getBytes("check_value"));
        return null;
      }).list();
      long now = clock.millis();
      for (int g : ring.generations()) {
        byte[] check = ring.generation(g).checkValue();
        if (known.containsKey(g)) {
          if (!MessageDigest.isEqual(known.get(g), check)) {
            throw new IllegalStateException("master-key.p12 holds another key under generation " + g
                + " than the cluster's: this node's file belongs to another installation, or was damaged");
          }
        } else {
          // The first node of a cluster (or of an upgraded installation) starts with its generation active.
          String state = known.isEmpty() && g == ring.generations().last() ? "active" : "staged";
          h.createUpdate("INSERT INTO master_keys (generation, check_value, state, created_at, changed_at)"
                  + " VALUES (:g, :c, :s, :now, :now)").bind("g", g).bind("c", check).bind("s", state)
              .bind("now", now).execute();
        }
      }
    });
  }

  /** Keys inside a PKCS#11 token are not sealed by the master key (rows from before rotation say 0). */
  private void markTokenKeys() {
    byte[] prefix = "pkcs11:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    jdbi.useTransaction(h -> {
      List<String> tokenKeys = h.createQuery("SELECT id, sealed_key FROM credentials WHERE master_gen = 0")
          .map((rs, ctx) -> {
            byte[] k = rs.getBytes("sealed_key");
            return k.length >= prefix.length && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)
                ? rs.getString("id") : null;
          }).list().stream().filter(Objects::nonNull).toList();
      for (String id : tokenKeys) {
        h.createUpdate("UPDATE credentials SET master_gen = NULL WHERE id = :id").bind("id", id).execute();
      }
    });
  }

  /** Takes the cluster's current generation: the highest active one, if this node holds it. */
  private synchronized void refresh() {
    List<Integer> active = jdbi.withHandle(h -> h.createQuery(
        "SELECT generation FROM master_keys WHERE state = 'active' ORDER BY generation DESC").mapTo(Integer.class).list());
    if (active.isEmpty()) {
      return;
    }
    int cluster = active.get(0);
    if (cluster != clusterGeneration) {
      LOG.info("Master key generation {} seals new values", cluster);
    }
    clusterGeneration = cluster;
    // A node without the newest key keeps sealing with the newest active one it has (every node
    // still opens that); with none, sealing fails. Its readiness check reports what it lacks.
    int use = active.stream().filter(ring.generations()::contains).findFirst().orElse(cluster);
    if (use != cluster) {
      LOG.error("This node lacks master key generation {}: copy master-key.p12 from a node that has it", cluster);
    }
    ring.use(use);
  }

  private void report() {
    String held = ring.generations().stream().map(String::valueOf).collect(Collectors.joining(","));
    long now = clock.millis();
    jdbi.useTransaction(h -> {
      int updated = h.createUpdate("UPDATE master_key_nodes SET generations = :g, seen_at = :now, description = :d"
          + " WHERE node_id = :id").bind("g", held).bind("now", now).bind("d", description).bind("id", nodeId).execute();
      if (updated == 0) {
        h.createUpdate("INSERT INTO master_key_nodes (node_id, description, generations, seen_at)"
            + " VALUES (:id, :d, :g, :now)").bind("id", nodeId).bind("d", description).bind("g", held)
            .bind("now", now).execute();
      }
      h.createUpdate("DELETE FROM master_key_nodes WHERE seen_at < :old").bind("old", now - Duration.ofDays(1).toMillis())
          .execute();
    });
  }

  private List<Node> nodes() {
    long live = clock.millis() - LIVE.toMillis();
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT node_id, description, generations, seen_at FROM master_key_nodes ORDER BY seen_at DESC")
        .map((rs, ctx) -> new Node(rs.getString("node_id"), rs.getString("description"),
            Arrays.stream(rs.getString("generations").split(",")).filter(s -> !s.isEmpty()).map(Integer::valueOf)
                .toList(), rs.getLong("seen_at"), rs.getLong("seen_at") >= live)).list());
  }

  private Map<String, Object> generationRow(int generation) throws Refused {
    return jdbi.withHandle(h -> h.createQuery("SELECT generation, state FROM master_keys WHERE generation = :g")
        .bind("g", generation).mapToMap().findOne()).orElseThrow(() -> new Refused(
            "The cluster has no master key generation " + generation));
  }

  /**
   * The generations older than {@code current} that this node holds, as an SQL list: rows sealed
   * by one it lacks are left to a node that has it (and counted by {@link #sealedBy}).
   */
  private String heldOlderThan(int current) {
    String held = ring.generations().stream().filter(g -> g < current).map(String::valueOf)
        .collect(Collectors.joining(","));
    return held.isEmpty() ? "NULL" : held;
  }

  // Each sweep reads a batch and writes each row back only if it still holds exactly what was
  // read (generation and ciphertext): a password change, a new authenticator or a renewal that
  // committed meanwhile wins, and its row is re-wrapped at a later tick. A row that does not open
  // is logged (by id) and skipped; the others go on.

  private int sweepPasswords(int current, int limit) {
    return jdbi.inTransaction(h -> {
      List<Map.Entry<String, SoftwareVault.PasswordRecord>> rows = h.createQuery(
              "SELECT id, pwd_salt, pwd_argon, pwd_verifier, pwd_master_gen FROM users WHERE pwd_verifier IS NOT NULL"
              + " AND pwd_master_gen IN (" + heldOlderThan(current) + ")").setMaxRows(limit)
          .map((rs, ctx) -> Map.entry(rs.getString("id"), new SoftwareVault.PasswordRecord(rs.getBytes("pwd_salt"),
              rs.getString("pwd_argon"), rs.getBytes("pwd_verifier"), rs.getInt("pwd_master_gen")))).list();
      int moved = 0;
      for (var row : rows) {
        SoftwareVault.PasswordRecord old = row.getValue();
        try {
          SoftwareVault.PasswordRecord next = vault.rewrap(old);
          moved += h.createUpdate("UPDATE users SET pwd_verifier = :v, pwd_master_gen = :g WHERE id = :id"
                  + " AND pwd_master_gen = :old AND pwd_verifier = :oldv").bind("v", next.verifier())
              .bind("g", next.generation()).bind("id", row.getKey()).bind("old", old.generation())
              .bind("oldv", old.verifier()).execute();
        } catch (RuntimeException e) {
          LOG.warn("The password verifier of user {} could not be re-wrapped: {}", row.getKey(), e.getMessage());
        }
      }
      return moved;
    });
  }

  private int sweepTotpSeeds(int current, int limit) {
    return jdbi.inTransaction(h -> {
      List<Map<String, Object>> rows = h.createQuery("SELECT id, totp_seed, totp_pending, totp_master_gen FROM users"
              + " WHERE (totp_seed IS NOT NULL OR totp_pending IS NOT NULL) AND totp_master_gen IN ("
              + heldOlderThan(current) + ")").setMaxRows(limit).mapToMap().list();
      int moved = 0;
      for (Map<String, Object> r : rows) {
        String id = (String) r.get("id");
        int old = ((Number) r.get("totp_master_gen")).intValue();
        byte[] oldSeed = (byte[]) r.get("totp_seed");
        byte[] oldPending = (byte[]) r.get("totp_pending");
        try {
          byte[] seed = reseal(MasterKeyRing.Purpose.TOTP_SEED, oldSeed, old, id, current);
          byte[] pending = reseal(MasterKeyRing.Purpose.TOTP_SEED, oldPending, old, id, current);
          var update = h.createUpdate("UPDATE users SET totp_seed = :s, totp_pending = :p, totp_master_gen = :g"
                  + " WHERE id = :id AND totp_master_gen = :old"
                  + (oldSeed == null ? " AND totp_seed IS NULL" : " AND totp_seed = :olds")
                  + (oldPending == null ? " AND totp_pending IS NULL" : " AND totp_pending = :oldp"))
              .bindByType("s", seed, byte[].class).bindByType("p", pending, byte[].class).bind("g", current)
              .bind("id", id).bind("old", old);
          if (oldSeed != null) {
            update.bind("olds", oldSeed);
          }
          if (oldPending != null) {
            update.bind("oldp", oldPending);
          }
          moved += update.execute();
        } catch (RuntimeException e) {
          LOG.warn("The TOTP seeds of user {} could not be re-wrapped: {}", id, e.getMessage());
        }
      }
      return moved;
    });
  }

  private int sweepUserKeys(int current, int limit) {
    return jdbi.inTransaction(h -> {
      List<Map<String, Object>> rows = h.createQuery("SELECT id, key_spec, sealed_key, master_gen FROM credentials"
          + " WHERE master_gen IN (" + heldOlderThan(current) + ")").setMaxRows(limit).mapToMap().list();
      int moved = 0;
      for (Map<String, Object> r : rows) {
        String id = (String) r.get("id");
        int old = ((Number) r.get("master_gen")).intValue();
        byte[] oldKey = (byte[]) r.get("sealed_key");
        try {
          // The public key plays no part in re-wrapping the private one.
          SealedKey next = keys.rewrap(new SealedKey(KeySpec.valueOf((String) r.get("key_spec")), null, oldKey, old),
              id);
          if (next.generation() == old) {
            continue; // a storage whose keys the master key does not seal
          }
          moved += h.createUpdate("UPDATE credentials SET sealed_key = :k, master_gen = :g WHERE id = :id"
                  + " AND master_gen = :old AND sealed_key = :oldk").bind("k", next.sealedPrivateKey())
              .bind("g", next.generation()).bind("id", id).bind("old", old).bind("oldk", oldKey).execute();
        } catch (RuntimeException e) {
          LOG.warn("The key of credential {} could not be re-wrapped: {}", id, e.getMessage());
        }
      }
      return moved;
    });
  }

  private int sweepMasterSealed(String table, String idColumn, String column, MasterKeyRing.Purpose purpose,
      int current, int limit) {
    return jdbi.inTransaction(h -> {
      List<Map<String, Object>> rows = h.createQuery("SELECT " + idColumn + " AS id, " + column + " AS sealed,"
              + " master_gen FROM " + table + " WHERE master_gen IN (" + heldOlderThan(current) + ")")
          .setMaxRows(limit).mapToMap().list();
      int moved = 0;
      for (Map<String, Object> r : rows) {
        String id = (String) r.get("id");
        int old = ((Number) r.get("master_gen")).intValue();
        byte[] oldSealed = (byte[]) r.get("sealed");
        try {
          byte[] next = reseal(purpose, oldSealed, old, id, current);
          moved += h.createUpdate("UPDATE " + table + " SET " + column + " = :s, master_gen = :g WHERE " + idColumn
                  + " = :id AND master_gen = :old AND " + column + " = :olds").bind("s", next).bind("g", current)
              .bind("id", id).bind("old", old).bind("olds", oldSealed).execute();
        } catch (RuntimeException e) {
          LOG.warn("The {} of {} could not be re-wrapped: {}", purpose, id, e.getMessage());
        }
      }
      return moved;
    });
  }

  /** Opens with {@code generation} and seals with {@code to}; null stays null. */
  private byte[] reseal(MasterKeyRing.Purpose purpose, byte[] sealed, int generation, String context, int to) {
    if (sealed == null) {
      return null;
    }
    byte[] plain;
    try {
      plain = ring.open(purpose, sealed, generation, context);
    } catch (Aead.DecryptionFailed e) {
      throw new IllegalStateException("A " + purpose + " of " + context + " does not open with generation "
          + generation + " of the master key", e);
    }
    try {
      return ring.seal(purpose, plain, context, to).bytes();
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static int count(Handle h, String sql, long now) {
    var q = h.createQuery(sql);
    if (sql.contains(":now")) {
      q.bind("now", now);
    }
    return q.mapTo(Integer.class).one();
  }

  private static String describe(Sealed s) {
    List<String> parts = new ArrayList<>();
    add(parts, s.passwords(), "password verifier");
    add(parts, s.totpSeeds(), "TOTP seed set");
    add(parts, s.userKeys(), "user key");
    add(parts, s.caKeys(), "CA key");
    add(parts, s.serverSecrets(), "server secret");
    add(parts, s.liveSads(), "live SAD");
    add(parts, s.liveSessions(), "live session");
    return String.join(", ", parts);
  }

  private static void add(List<String> parts, int n, String what) {
    if (n > 0) {
      parts.add(n + " " + what + (n == 1 ? "" : "s"));
    }
  }
}
