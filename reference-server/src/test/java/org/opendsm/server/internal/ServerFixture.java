package org.opendsm.server.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.util.encoders.Base32;
import org.opendsm.Secret;
import org.opendsm.testing.MutableClock;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.accounts.AuthenticationException;
import org.opendsm.server.internal.audit.AuditTrail;
import org.opendsm.server.internal.crypto.Argon2;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.server.internal.pki.CertificateAuthority;
import org.opendsm.server.internal.store.Database;
import org.opendsm.server.internal.vault.KeySpec;
import org.opendsm.server.internal.vault.MasterKeyRing;
import org.opendsm.server.internal.vault.SoftwareVault;

/** The server's services wired over an H2 database in a temporary directory. */
public final class ServerFixture {
  public static final Secret PASSWORD = Secret.of("a long signing passphrase");
  public final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  public final Database db;
  public final MasterKeyRing master = MasterKeyRing.random();
  public final SoftwareVault vault = new SoftwareVault(master, new Argon2(1024, 1, 1));
  public final AuditTrail audit;
  public final CertificateAuthority ca;
  public final Accounts accounts;
  public final org.opendsm.server.internal.vault.KeyStorage keys;

  public ServerFixture(Path dir) {
    this(Database.embedded(dir));
  }

  public ServerFixture(Database database) {
    this(database, null);
  }

  /** With user keys in {@code keyStorage} (a PKCS#11 token) instead of the software vault. */
  public ServerFixture(Database database, org.opendsm.server.internal.vault.KeyStorage keyStorage) {
    db = database;
    keys = keyStorage == null ? vault : keyStorage;
    audit = new AuditTrail(db.jdbi(), clock);
    ca = new CertificateAuthority(db.jdbi(), master, clock, "https://localhost:8443");
    ca.initialise("OpenDSM Test");
    accounts = new Accounts(db.jdbi(), vault, keys, master, ca, audit, clock);
  }

  /** An enrolled user; returns the TOTP seed so tests can compute codes. */
  public byte[] enrol(String userId, KeySpec spec) throws AuthenticationException {
    Accounts.Enrolment e = accounts.createUser("admin", userId, "Test User " + userId, Accounts.AuthMode.EXPLICIT);
    Accounts.TotpSetup setup = accounts.beginEnrolment(e.code(), PASSWORD);
    byte[] seed = Base32.decode(pad(setup.secretBase32()));
    accounts.completeEnrolment(e.code(), PASSWORD, code(seed), spec);
    nextStep();
    return seed;
  }

  /** Completes an enrolment whose first step was done with {@link #PASSWORD}; returns the seed. */
  public byte[] enrolWithCode(String code) throws AuthenticationException {
    Accounts.TotpSetup setup = accounts.beginEnrolment(code, PASSWORD);
    byte[] seed = Base32.decode(pad(setup.secretBase32()));
    accounts.completeEnrolment(code, PASSWORD, code(seed), KeySpec.EC_P256);
    nextStep();
    return seed;
  }

  /** The current TOTP code for {@code seed}. */
  public String code(byte[] seed) {
    return Totp.code(seed, Totp.step(clock.instant()));
  }

  /** Moves past the current TOTP step, so the next code is fresh. */
  public void nextStep() {
    clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
  }

  private static String pad(String base32) {
    return base32 + "=".repeat((8 - base32.length() % 8) % 8);
  }
}
