package org.opendsm.server.internal.vault;

import java.security.SecureRandom;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.opendsm.server.internal.crypto.Aead;

/**
 * Server-wide secrets that must outlive any one master key generation, sealed by the master key
 * in the shared database: every node reads the same value, and a rotation re-wraps it without
 * changing it.
 */
public final class ServerSecrets {
  private final Jdbi jdbi;
  private final MasterKeyRing master;

  public ServerSecrets(Jdbi jdbi, MasterKeyRing master) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.master = Objects.requireNonNull(master, "master");
  }

  /**
   * The 32-byte secret {@code name}, made the first time any node asks. Before rotation existed
   * such secrets were derived from the master key under {@code formerLabel}; while generation 1
   * is held that value is kept, so nothing derived from it changes. Otherwise it is random.
   */
  public byte[] get(String name, String formerLabel) {
    try {
      return getOrCreate(name, formerLabel);
    } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
      if (!org.opendsm.server.internal.store.Database.duplicateKey(e)) {
        throw e;
      }
      return getOrCreate(name, formerLabel); // another node made it at the same moment: read theirs
    }
  }

  private byte[] getOrCreate(String name, String formerLabel) {
    return jdbi.inTransaction(h -> {
      var row = h.createQuery("SELECT sealed, master_gen FROM server_secrets WHERE name = :n").bind("n", name)
          .map((rs, ctx) -> new MasterKeyRing.Sealed(rs.getBytes("sealed"), rs.getInt("master_gen"))).findOne();
      if (row.isPresent()) {
        return open(name, row.get());
      }
      byte[] value;
      if (master.generations().contains(1)) {
        value = master.generation(1).derive(formerLabel);
      } else {
        value = new byte[32];
        new SecureRandom().nextBytes(value);
      }
      MasterKeyRing.Sealed sealed = master.seal(MasterKeyRing.Purpose.SERVER_SECRET, value, name);
      h.createUpdate("INSERT INTO server_secrets (name, sealed, master_gen) VALUES (:n, :s, :g)").bind("n", name)
          .bind("s", sealed.bytes()).bind("g", sealed.generation()).execute();
      return value;
    });
  }

  private byte[] open(String name, MasterKeyRing.Sealed sealed) {
    try {
      return master.open(MasterKeyRing.Purpose.SERVER_SECRET, sealed.bytes(), sealed.generation(), name);
    } catch (Aead.DecryptionFailed e) {
      throw new IllegalStateException("The server secret '" + name + "' does not open with generation "
          + sealed.generation() + " of the master key", e);
    }
  }
}
