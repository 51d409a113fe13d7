package org.opendsm.server.internal.accounts;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.internal.Dss;
import org.opendsm.server.internal.audit.AuditTrail;
import org.opendsm.server.internal.store.Database;
import org.opendsm.server.internal.crypto.Aead;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.server.internal.pki.CertificateAuthority;
import org.opendsm.server.internal.vault.KeySpec;
import org.opendsm.server.internal.vault.MasterKeyRing;
import org.opendsm.server.internal.vault.SealedKey;
import org.opendsm.server.internal.vault.SoftwareVault;

/**
 * Users, enrolment and two-factor authentication (signing password + TOTP).
 *
 * <p>Enrolment: an administrator creates the user and hands over a one-time code; the user
 * redeems it with a signing password, receives a TOTP seed, and confirms with a first code. Only
 * then is the key pair generated in the vault and the certificate issued.
 *
 * <p>Authentication: after {@link #MAX_FAILURES} consecutive failures the credential locks, with
 * a back-off that doubles on every further failure. A TOTP code is accepted once per time step,
 * on every node. Failures say nothing about which factor was wrong, or whether the user exists.
 */
public final class Accounts {
  public static final int MAX_FAILURES = 5;
  private static final Duration ENROLMENT_VALIDITY = Duration.ofDays(7);
  private static final Duration FIRST_LOCK = Duration.ofSeconds(30);
  private static final Duration LONGEST_LOCK = Duration.ofHours(24);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Accounts.class);

  private final Jdbi jdbi;
  private final SoftwareVault vault;
  private final org.opendsm.server.internal.vault.KeyStorage keys;
  private final MasterKeyRing master;
  private final CertificateAuthority ca;
  private final AuditTrail audit;
  private final Clock clock;
  private final PasswordPolicy policy = new PasswordPolicy();

  public Accounts(Jdbi jdbi, SoftwareVault vault, MasterKeyRing master, CertificateAuthority ca,
      AuditTrail audit, Clock clock) {
    this(jdbi, vault, vault, master, ca, audit, clock);
  }

  /** With keys kept elsewhere than the software vault (a PKCS#11 token). */
  public Accounts(Jdbi jdbi, SoftwareVault vault, org.opendsm.server.internal.vault.KeyStorage keys, MasterKeyRing master,
      CertificateAuthority ca, AuditTrail audit, Clock clock) {
    this.jdbi = jdbi;
    this.vault = vault;
    this.keys = keys;
    this.master = master;
    this.ca = ca;
    this.audit = audit;
    this.clock = clock;
  }

  /** How a user's credential is authorised: on the server's login page, or through the ASP. */
  public enum AuthMode {
    OAUTH2CODE, EXPLICIT;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static AuthMode parse(String text) {
      for (AuthMode m : values()) {
        if (m.wire().equalsIgnoreCase(text)) {
          return m;
        }
      }
      throw new IllegalArgumentException("Unknown authMode '" + text + "': use oauth2code or explicit");
    }
  }

  /** A new user's one-time enrolment code; shown once, stored as a hash. */
  public record Enrolment(String userId, String code) {
    @Override
    public String toString() {
      return "Enrolment[" + userId + ", code redacted]";
    }
  }

  /** What the user adds to an authenticator app. */
  public record TotpSetup(String otpauthUri, String secretBase32) {
    @Override
    public String toString() {
      return "TotpSetup[redacted]";
    }
  }

  /** A user's signing credential: key in the vault, certificate issued by the built-in CA. */
  public record Credential(String id, String userId, KeySpec spec, X509Certificate certificate,
      org.opendsm.server.internal.vault.SealedKey sealedKey, String status) {}

  public Enrolment createUser(String actor, String userId, String displayName, AuthMode mode) {
    if (userId == null || !userId.matches("[A-Za-z0-9._@-]{1,64}")) {
      throw new IllegalArgumentException("User id must be 1 to 64 letters, digits or . _ @ -");
    }
    if (displayName == null || displayName.isBlank() || displayName.length() > 200) {
      throw new IllegalArgumentException("Display name must be 1 to 200 characters");
    }
    String code = Totp.base32(randomBytes(15));
    jdbi.useTransaction(h -> {
      if (h.createQuery("SELECT COUNT(*) FROM users WHERE id = :id").bind("id", userId).mapTo(Integer.class).one() > 0) {
        throw new IllegalArgumentException("User '" + userId + "' already exists");
      }
      long now = clock.millis();
      h.createUpdate("INSERT INTO users (id, display_name, status, auth_mode, created_at)"
              + " VALUES (:id, :name, 'PENDING', :mode, :now)")
          .bind("id", userId).bind("name", displayName).bind("mode", mode.wire()).bind("now", now).execute();
      h.createUpdate("INSERT INTO enrolment_codes (code_hash, user_id, expires_at) VALUES (:h, :u, :e)")
          .bind("h", hash(code)).bind("u", userId).bind("e", now + ENROLMENT_VALIDITY.toMillis()).execute();
      audit.append(h, "user.created", actor, userId, Map.of("authMode", mode.wire()));
    });
    return new Enrolment(userId, code);
  }

  /** Step 1 of enrolment: sets the signing password and returns a fresh TOTP seed. */
  public TotpSetup beginEnrolment(String code, Secret password) {
    policy.problem(password).ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    jdbi.useHandle(h -> pendingUser(h, code));
    SoftwareVault.PasswordRecord record = vault.newPassword(password);
    byte[] seed = Totp.newSecret();
    String userId = jdbi.inTransaction(h -> {
      String user = pendingUser(h, code);
      MasterKeyRing.Sealed sealedSeed = master.seal(MasterKeyRing.Purpose.TOTP_SEED, seed, user);
      h.createUpdate("UPDATE users SET pwd_salt = :s, pwd_argon = :a, pwd_verifier = :v, pwd_master_gen = :vg,"
              + " totp_seed = :t, totp_master_gen = :tg WHERE id = :id")
          .bind("s", record.salt()).bind("a", record.argon()).bind("v", record.verifier())
          .bind("vg", record.generation()).bind("t", sealedSeed.bytes()).bind("tg", sealedSeed.generation())
          .bind("id", user).execute();
      return user;
    });
    return new TotpSetup(Totp.uri("OpenDSM", userId, seed), Totp.base32(seed));
  }

  /**
   * The authenticator set-up of an enrolment begun with this code, to show it again (the
   * enrolment page, after a wrong first code); empty if step 1 was not done.
   */
  public Optional<TotpSetup> pendingTotpSetup(String code) {
    return jdbi.withHandle(h -> {
      String userId = pendingUser(h, code);
      return h.createQuery("SELECT totp_seed, totp_master_gen FROM users WHERE id = :id").bind("id", userId)
          .map((rs, ctx) -> sealedOrNull(rs, "totp_seed", "totp_master_gen"))
          .list().stream().filter(java.util.Objects::nonNull).findFirst().map(sealed -> {
            byte[] secret = seed(userId, sealed);
            return new TotpSetup(Totp.uri("OpenDSM", userId, secret), Totp.base32(secret));
          });
    });
  }

  /** Step 2: the first valid code proves the app works; the key and certificate are made now. */
  public Credential completeEnrolment(String code, Secret password, String totpCode, KeySpec spec)
      throws AuthenticationException {
    String userId = jdbi.withHandle(h -> pendingUser(h, code));
    try (SoftwareVault.Unlocked unlocked = checkFactors(userId, password, totpCode, "enrolment",
        (h, u) -> { })) {
      String credentialId = UUID.randomUUID().toString();
      var sealed = keys.generate(spec, credentialId, unlocked);
      Credential created = jdbi.inTransaction(h -> {
        pendingUser(h, code);
        String name = h.createQuery("SELECT display_name FROM users WHERE id = :id").bind("id", userId)
            .mapTo(String.class).one();
        X509Certificate cert = ca.issueUserCertificate(h, name, userId, sealed.publicKey());
        h.createUpdate("INSERT INTO credentials (id, user_id, key_spec, public_key, sealed_key, master_gen, certificate,"
                + " serial, status, created_at) VALUES (:id, :u, :k, :pub, :sk, :g, :c, :serial, 'ACTIVE', :now)")
            .bind("id", credentialId).bind("u", userId).bind("k", spec.name())
            .bind("pub", sealed.publicKey().getEncoded()).bind("sk", sealed.sealedPrivateKey())
            .bind("g", generationColumn(sealed))
            .bind("c", Dss.encoded(cert)).bind("serial", cert.getSerialNumber().toString(16))
            .bind("now", clock.millis()).execute();
        recordCertificate(h, credentialId, cert);
        if (h.createUpdate("UPDATE enrolment_codes SET used_at = :now WHERE code_hash = :h AND used_at IS NULL")
            .bind("now", clock.millis()).bind("h", hash(code)).execute() != 1) {
          throw new IllegalArgumentException("This enrolment code was used meanwhile");
        }
        h.createUpdate("UPDATE users SET status = 'ACTIVE' WHERE id = :id").bind("id", userId).execute();
        audit.append(h, "user.enrolled", userId, userId, Map.of("credential", credentialId,
            "keySpec", spec.name(), "certificateSerial", cert.getSerialNumber().toString(16)));
        return new Credential(credentialId, userId, spec, cert, sealed, "ACTIVE");
      });
      java.util.List<X509Certificate> chain = new java.util.ArrayList<>(java.util.List.of(created.certificate()));
      chain.addAll(ca.chainFor(created.certificate()));
      keys.attachCertificate(credentialId, chain);
      return created;
    }
  }

  /**
   * Checks password and TOTP for an active user; the result unlocks the user's keys (close it).
   *
   * @throws AuthenticationException with one message for every kind of failure, or "locked"
   */
  public SoftwareVault.Unlocked authenticate(String userId, Secret password, String totpCode, String purpose)
      throws AuthenticationException {
    return authenticate(userId, password, totpCode, purpose, (h, unlocked) -> { });
  }

  /** Work done in the transaction that records a successful login (so it commits with it, or not at all). */
  public interface OnSuccess {
    void run(Handle h, SoftwareVault.Unlocked unlocked);
  }

  /**
   * As {@link #authenticate(String, Secret, String, String)}, with {@code onSuccess} run inside
   * the transaction that claims the TOTP step and records the success: one commit for both (on
   * PostgreSQL each commit waits for the disk).
   */
  public SoftwareVault.Unlocked authenticate(String userId, Secret password, String totpCode, String purpose,
      OnSuccess onSuccess) throws AuthenticationException {
    boolean active = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users WHERE id = :id AND status = 'ACTIVE'")
        .bind("id", userId).mapTo(Integer.class).one() > 0);
    if (!active) {
      burnDecoy(password);
      audit.append("login.failed", userId, userId, Map.of("purpose", purpose, "reason", "unknown or inactive user"));
      throw unknownUserFailure(userId);
    }
    return checkFactors(userId, password, totpCode, purpose, onSuccess);
  }

  /**
   * A fresh TOTP code alone, for a user whose password a live session checked minutes ago.
   * Counted, locked and protected against replay exactly like a full login; {@code onSuccess}
   * runs in the transaction that records the success.
   */
  public void authenticateSecondFactor(String userId, String totpCode, String purpose,
      java.util.function.Consumer<Handle> onSuccess) throws AuthenticationException {
    if (!isActive(userId)) {
      throw AuthenticationException.failed();
    }
    countAttempt(userId, purpose);
    MasterKeyRing.Sealed sealedSeed = jdbi.withHandle(h -> h.createQuery(
        "SELECT totp_seed, totp_master_gen FROM users WHERE id = :id").bind("id", userId)
        .map((rs, ctx) -> sealedOrNull(rs, "totp_seed", "totp_master_gen")).one());
    OptionalLong step = Totp.match(seed(userId, sealedSeed), totpCode, clock.instant());
    if (step.isEmpty() || !claimStepAndSucceed(userId, step.getAsLong(), purpose, "otp+session", onSuccess)) {
      throw failure(userId, purpose, step.isEmpty() ? "wrong one-time code" : "replayed one-time code");
    }
  }

  /**
   * A new signing password: checked against the policy, both factors asked again, every key
   * of the user re-sealed under it in one transaction with the new password record (a key that
   * does not open aborts everything). SADs issued before no longer open a key.
   *
   * @throws IllegalArgumentException if the new password breaks the policy
   * @throws AuthenticationException if the current password or the code is wrong
   */
  public void changePassword(String userId, Secret current, Secret next, String totpCode)
      throws AuthenticationException {
    policy.problem(next).ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    try (SoftwareVault.Unlocked old = authenticate(userId, current, totpCode, "password change")) {
      SoftwareVault.PasswordRecord record = vault.newPassword(next);
      try (SoftwareVault.Unlocked fresh = vault.unlock(record, next)) {
        jdbi.useTransaction(h -> {
          for (Credential c : credentials(userId)) {
            try {
              SealedKey resealed = keys.reseal(c.sealedKey(), c.id(), old, fresh);
              h.createUpdate("UPDATE credentials SET sealed_key = :k, master_gen = :g WHERE id = :id")
                  .bind("k", resealed.sealedPrivateKey()).bind("g", generationColumn(resealed)).bind("id", c.id())
                  .execute();
            } catch (SoftwareVault.Refused e) {
              throw new IllegalStateException("The key of " + c.id() + " does not open with the current password", e);
            }
          }
          h.createUpdate("UPDATE users SET pwd_salt = :s, pwd_argon = :a, pwd_verifier = :v, pwd_master_gen = :g"
                  + " WHERE id = :id").bind("s", record.salt()).bind("a", record.argon()).bind("v", record.verifier())
              .bind("g", record.generation()).bind("id", userId).execute();
          audit.append(h, "password.changed", userId, userId, Map.of());
        });
      } catch (SoftwareVault.Refused e) {
        throw new IllegalStateException("A password that was just set does not open", e);
      }
    }
  }

  /**
   * Step 1 of moving to a new authenticator app: a new TOTP key, kept aside until its first code
   * confirms it (the old one keeps working meanwhile).
   */
  public TotpSetup beginTotpChange(String userId) {
    byte[] seed = Totp.newSecret();
    jdbi.useTransaction(h -> {
      // Both seeds under one generation (one column says which): the current one is sealed again.
      MasterKeyRing.Sealed current = h.createQuery("SELECT totp_seed, totp_master_gen FROM users WHERE id = :id"
              + " AND status = 'ACTIVE' FOR UPDATE").bind("id", userId)
          .map((rs, ctx) -> sealedOrNull(rs, "totp_seed", "totp_master_gen")).findOne().orElse(null);
      if (current == null) {
        return;
      }
      int generation = master.current().generation(); // one generation for both seeds, as the column says
      MasterKeyRing.Sealed resealed = master.seal(MasterKeyRing.Purpose.TOTP_SEED, seed(userId, current), userId,
          generation);
      MasterKeyRing.Sealed pending = master.seal(MasterKeyRing.Purpose.TOTP_SEED, seed, userId, generation);
      h.createUpdate("UPDATE users SET totp_seed = :s, totp_pending = :t, totp_master_gen = :g WHERE id = :id")
          .bind("s", resealed.bytes()).bind("t", pending.bytes()).bind("g", pending.generation()).bind("id", userId)
          .execute();
    });
    return new TotpSetup(Totp.uri("OpenDSM", userId, seed), Totp.base32(seed));
  }

  /**
   * Step 2: the password and the first code of the new app replace the old key. Counted and
   * locked like a login.
   */
  public void completeTotpChange(String userId, Secret password, String newCode) throws AuthenticationException {
    MasterKeyRing.Sealed pending = jdbi.withHandle(h -> h.createQuery(
        "SELECT totp_pending, totp_master_gen FROM users WHERE id = :id").bind("id", userId)
        .map((rs, ctx) -> sealedOrNull(rs, "totp_pending", "totp_master_gen")).list().stream()
        .filter(java.util.Objects::nonNull).findFirst().orElse(null));
    if (pending == null) {
      throw new IllegalArgumentException("Start again: no new authenticator is waiting to be confirmed");
    }
    countAttempt(userId, "authenticator change");
    SoftwareVault.PasswordRecord record = jdbi.withHandle(h -> h.createQuery(
        "SELECT pwd_salt, pwd_argon, pwd_verifier, pwd_master_gen FROM users WHERE id = :id").bind("id", userId)
        .map((rs, ctx) -> passwordRecord(rs)).one());
    try {
      vault.unlock(record, password).close();
    } catch (SoftwareVault.Refused e) {
      throw failure(userId, "authenticator change", "wrong password");
    }
    OptionalLong step = Totp.match(seed(userId, pending), newCode, clock.instant());
    if (step.isEmpty() || !claimStep(userId, step.getAsLong())) {
      throw failure(userId, "authenticator change", step.isEmpty() ? "wrong one-time code" : "replayed one-time code");
    }
    jdbi.useTransaction(h -> {
      h.createUpdate("UPDATE users SET totp_seed = totp_pending, totp_pending = NULL, failed_attempts = 0,"
          + " locked_until = 0 WHERE id = :id").bind("id", userId).execute();
      audit.append(h, "authenticator.changed", userId, userId, Map.of());
    });
  }

  /** The user's display name, for the {@code name} claim. */
  public Optional<String> displayName(String userId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT display_name FROM users WHERE id = :id").bind("id", userId)
        .mapTo(String.class).findOne());
  }

  /**
   * Counts the attempt before checking it, atomically, so parallel guesses cannot slip past the
   * lockout; success resets the count.
   */
  private void countAttempt(String userId, String purpose) throws AuthenticationException {
    boolean counted = jdbi.withHandle(h -> h.createUpdate("UPDATE users SET failed_attempts = failed_attempts + 1"
        + " WHERE id = :id AND locked_until <= :now").bind("id", userId).bind("now", clock.millis()).execute() == 1);
    if (!counted) {
      audit.append("login.refused", userId, userId, Map.of("purpose", purpose, "reason", "locked"));
      throw AuthenticationException.locked();
    }
  }

  private SoftwareVault.Unlocked checkFactors(String userId, Secret password, String totpCode, String purpose,
      OnSuccess onSuccess) throws AuthenticationException {
    countAttempt(userId, purpose);
    var row = jdbi.withHandle(h -> h.createQuery(
        "SELECT pwd_salt, pwd_argon, pwd_verifier, pwd_master_gen, totp_seed, totp_master_gen FROM users WHERE id = :id")
        .bind("id", userId).map((rs, ctx) -> Map.entry(passwordRecord(rs), sealedOrNull(rs, "totp_seed", "totp_master_gen")))
        .one());
    SoftwareVault.Unlocked unlocked;
    try {
      unlocked = vault.unlock(row.getKey(), password);
    } catch (SoftwareVault.Refused e) {
      throw failure(userId, purpose, "wrong password");
    }
    byte[] seed = seed(userId, row.getValue());
    OptionalLong step = Totp.match(seed, totpCode, clock.instant());
    if (step.isEmpty() || !claimStepAndSucceed(userId, step.getAsLong(), purpose, "pwd+otp", h -> {
      upgrade(h, userId, row.getKey(), unlocked, row.getValue(), seed);
      onSuccess.run(h, unlocked);
    })) {
      unlocked.close();
      throw failure(userId, purpose, step.isEmpty() ? "wrong one-time code" : "replayed one-time code");
    }
    return unlocked;
  }

  /** Counts and locks unknown IDs exactly as real ones, so a lock says nothing about existence. */
  private AuthenticationException unknownUserFailure(String userId) {
    byte[] id = hash(userId == null ? "" : userId);
    boolean locked = jdbi.inTransaction(h -> {
      var row = h.createQuery("SELECT failures, locked_until FROM unknown_login_failures WHERE id_hash = :i FOR UPDATE")
          .bind("i", id).mapToMap().findOne();
      long now = clock.millis();
      if (row.isPresent() && ((Number) row.get().get("locked_until")).longValue() > now) {
        return true;
      }
      int failures = row.map(r -> ((Number) r.get("failures")).intValue()).orElse(0) + 1;
      long lockedUntil = failures >= MAX_FAILURES ? now + Math.min(FIRST_LOCK.toMillis()
          * (1L << Math.min(failures - MAX_FAILURES, 20)), LONGEST_LOCK.toMillis()) : 0;
      if (row.isPresent()) {
        h.createUpdate("UPDATE unknown_login_failures SET failures = :f, locked_until = :l WHERE id_hash = :i")
            .bind("f", failures).bind("l", lockedUntil).bind("i", id).execute();
      } else {
        h.createUpdate("INSERT INTO unknown_login_failures (id_hash, failures, locked_until) VALUES (:i, :f, :l)")
            .bind("i", id).bind("f", failures).bind("l", lockedUntil).execute();
      }
      return lockedUntil > 0;
    });
    return locked ? AuthenticationException.locked() : AuthenticationException.failed();
  }

  /** The step was claimed before: the transaction is rolled back. */
  private static final class StepUsed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StepUsed() {
      super(null, null, false, false);
    }
  }

  /**
   * In one transaction: claims the (user, step) pair, resets the failure count, records the
   * success and runs {@code onSuccess}. False, with nothing written, if the step was used before,
   * here or on another node.
   */
  private boolean claimStepAndSucceed(String userId, long step, String purpose, String factors,
      java.util.function.Consumer<Handle> onSuccess) {
    try {
      jdbi.useTransaction(h -> {
        try {
          h.createUpdate("INSERT INTO totp_used_steps (user_id, step) VALUES (:u, :s)")
              .bind("u", userId).bind("s", step).execute();
        } catch (UnableToExecuteStatementException e) {
          if (Database.duplicateKey(e)) {
            throw new StepUsed();
          }
          throw e;
        }
        h.createUpdate("UPDATE users SET failed_attempts = 0, locked_until = 0 WHERE id = :id").bind("id", userId)
            .execute();
        audit.append(h, "login.succeeded", userId, userId, Map.of("purpose", purpose, "factors", factors));
        onSuccess.accept(h);
      });
      return true;
    } catch (StepUsed e) {
      return false;
    }
  }

  /** Records the (user, step) pair; false if it was used before, here or on another node. */
  private boolean claimStep(String userId, long step) {
    try {
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO totp_used_steps (user_id, step) VALUES (:u, :s)")
          .bind("u", userId).bind("s", step).execute());
      return true;
    } catch (UnableToExecuteStatementException e) {
      if (Database.duplicateKey(e)) {
        return false;
      }
      throw e;
    }
  }

  private AuthenticationException failure(String userId, String purpose, String reason) {
    boolean locked = jdbi.inTransaction(h -> {
      int failures = h.createQuery("SELECT failed_attempts FROM users WHERE id = :id FOR UPDATE")
          .bind("id", userId).mapTo(Integer.class).one();
      long lockedUntil = 0;
      if (failures >= MAX_FAILURES) {
        long factor = 1L << Math.min(failures - MAX_FAILURES, 20);
        lockedUntil = clock.millis() + Math.min(FIRST_LOCK.toMillis() * factor, LONGEST_LOCK.toMillis());
      }
      if (lockedUntil > 0) {
        h.createUpdate("UPDATE users SET locked_until = :l WHERE id = :id").bind("l", lockedUntil).bind("id", userId)
            .execute();
      }
      audit.append(h, lockedUntil > 0 ? "credential.locked" : "login.failed", userId, userId,
          Map.of("purpose", purpose, "reason", reason, "consecutiveFailures", failures));
      return lockedUntil > 0;
    });
    return locked ? AuthenticationException.locked() : AuthenticationException.failed();
  }

  public List<Credential> credentials(String userId) {
    return jdbi.withHandle(h -> credentials(h, userId));
  }

  private static List<Credential> credentials(Handle h, String userId) {
    return h.createQuery("SELECT id, user_id, key_spec, public_key, sealed_key, master_gen, certificate, status"
        + " FROM credentials WHERE user_id = :u ORDER BY created_at").bind("u", userId)
        .map((rs, ctx) -> credential(rs)).list();
  }

  /**
   * At a successful sign-in, moves what the user's password protects to the master key's current
   * generation: the only moment a generation 0 verifier or key can move (it needs the password).
   * Guarded by the generation read, so a concurrent password change or sweep wins; a key that
   * does not open is left as it is (the sign-in itself does not depend on it).
   */
  private void upgrade(Handle h, String userId, SoftwareVault.PasswordRecord record, SoftwareVault.Unlocked unlocked,
      MasterKeyRing.Sealed sealedSeed, byte[] seed) {
    int current = master.current().generation();
    if (record.generation() < current) {
      SoftwareVault.PasswordRecord moved = vault.upgrade(record, unlocked);
      h.createUpdate("UPDATE users SET pwd_verifier = :v, pwd_master_gen = :g WHERE id = :id AND pwd_master_gen = :old"
              + " AND pwd_verifier = :oldv").bind("v", moved.verifier()).bind("g", moved.generation()).bind("id", userId)
          .bind("old", record.generation()).bind("oldv", record.verifier()).execute();
    }
    if (sealedSeed.generation() < current) {
      MasterKeyRing.Sealed moved = master.seal(MasterKeyRing.Purpose.TOTP_SEED, seed, userId);
      // Only when no new authenticator is waiting: that seed moves with the sweep.
      h.createUpdate("UPDATE users SET totp_seed = :t, totp_master_gen = :g WHERE id = :id AND totp_master_gen = :old"
              + " AND totp_seed = :olds AND totp_pending IS NULL").bind("t", moved.bytes()).bind("g", moved.generation())
          .bind("id", userId).bind("old", sealedSeed.generation()).bind("olds", sealedSeed.bytes()).execute();
    }
    for (Credential c : credentials(h, userId)) {
      SealedKey key = c.sealedKey();
      if (key.generation() == SealedKey.NOT_SEALED || key.generation() >= current) {
        continue;
      }
      try {
        SealedKey moved = keys.reseal(key, c.id(), unlocked, unlocked);
        h.createUpdate("UPDATE credentials SET sealed_key = :k, master_gen = :g WHERE id = :id AND master_gen = :old"
                + " AND sealed_key = :oldk").bind("k", moved.sealedPrivateKey()).bind("g", generationColumn(moved))
            .bind("id", c.id()).bind("old", key.generation()).bind("oldk", key.sealedPrivateKey()).execute();
      } catch (SoftwareVault.Refused e) {
        LOG.warn("The key of credential {} does not open with its owner's password; left in generation {}", c.id(),
            key.generation());
      }
    }
  }

  /** A credential's master_gen column: NULL for a key the master key does not seal. */
  private static Integer generationColumn(SealedKey key) {
    return key.generation() == SealedKey.NOT_SEALED ? null : key.generation();
  }

  private static SoftwareVault.PasswordRecord passwordRecord(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new SoftwareVault.PasswordRecord(rs.getBytes("pwd_salt"), rs.getString("pwd_argon"),
        rs.getBytes("pwd_verifier"), rs.getInt("pwd_master_gen"));
  }

  private static MasterKeyRing.Sealed sealedOrNull(java.sql.ResultSet rs, String column, String generation)
      throws java.sql.SQLException {
    byte[] bytes = rs.getBytes(column);
    return bytes == null ? null : new MasterKeyRing.Sealed(bytes, rs.getInt(generation));
  }

  /** Disables or re-enables a user; a disabled user cannot authenticate or sign. */
  public void setEnabled(String actor, String userId, boolean enabled) {
    jdbi.useTransaction(h -> {
      int n = h.createUpdate("UPDATE users SET status = :to WHERE id = :id AND status = :from")
          .bind("to", enabled ? "ACTIVE" : "DISABLED").bind("from", enabled ? "DISABLED" : "ACTIVE")
          .bind("id", userId).execute();
      if (n == 0) {
        throw new IllegalArgumentException("User '" + userId + "' is not " + (enabled ? "disabled" : "active"));
      }
      if (!enabled) {
        endSessions(h, userId);
      }
      audit.append(h, enabled ? "user.enabled" : "user.disabled", actor, userId, Map.of());
    });
  }

  /**
   * Resets a user who lost the password or the authenticator: the caller revokes the old
   * certificates; the user enrols again with a new code, getting a new key and certificate (the
   * old key cannot be recovered without the old password, by design).
   */
  public Enrolment reset(String actor, String userId) {
    String code = Totp.base32(randomBytes(15));
    jdbi.useTransaction(h -> {
      int n = h.createUpdate("UPDATE users SET status = 'PENDING', pwd_salt = NULL, pwd_argon = NULL,"
              + " pwd_verifier = NULL, totp_seed = NULL, failed_attempts = 0, locked_until = 0 WHERE id = :id")
          .bind("id", userId).execute();
      if (n == 0) {
        throw new IllegalArgumentException("No user '" + userId + "'");
      }
      h.createUpdate("INSERT INTO enrolment_codes (code_hash, user_id, expires_at) VALUES (:h, :u, :e)")
          .bind("h", hash(code)).bind("u", userId).bind("e", clock.millis() + ENROLMENT_VALIDITY.toMillis()).execute();
      endSessions(h, userId);
      audit.append(h, "user.reset", actor, userId, Map.of());
    });
    return new Enrolment(userId, code);
  }

  /** Ends everything issued for a user: access and refresh tokens, live SADs. */
  private static void endSessions(Handle h, String userId) {
    h.createUpdate("DELETE FROM access_tokens WHERE user_id = :u").bind("u", userId).execute();
    h.createUpdate("DELETE FROM refresh_tokens WHERE user_id = :u").bind("u", userId).execute();
    h.createUpdate("UPDATE sads SET remaining = 0 WHERE user_id = :u").bind("u", userId).execute();
  }

  /** The user a credential belongs to. */
  public Optional<String> ownerOf(String credentialId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT user_id FROM credentials WHERE id = :id")
        .bind("id", credentialId == null ? "" : credentialId).mapTo(String.class).findOne());
  }

  /** How the user's credentials are authorised (never both ways for one credential). */
  public AuthMode authMode(String userId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT auth_mode FROM users WHERE id = :id").bind("id", userId)
        .mapTo(String.class).findOne().map(m -> AuthMode.valueOf(m.toUpperCase(java.util.Locale.ROOT)))
        .orElse(AuthMode.OAUTH2CODE));
  }

  public boolean isActive(String userId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users WHERE id = :id AND status = 'ACTIVE'")
        .bind("id", userId).mapTo(Integer.class).one() > 0);
  }

  /** A credential with its owner's standing: what one CSC request needs, read in one query. */
  public record OwnedCredential(Credential credential, boolean ownerActive, AuthMode authMode) {
    /** The owner is active and the credential not revoked. */
    public boolean usable() {
      return ownerActive && "ACTIVE".equals(credential.status());
    }
  }

  public Optional<OwnedCredential> credentialById(String credentialId) {
    if (credentialId == null) {
      return Optional.empty();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT c.id, c.user_id, c.key_spec, c.public_key, c.sealed_key,"
            + " c.master_gen, c.certificate, c.status, u.status AS user_status, u.auth_mode FROM credentials c"
            + " JOIN users u ON u.id = c.user_id WHERE c.id = :id").bind("id", credentialId)
        .map((rs, ctx) -> new OwnedCredential(credential(rs), "ACTIVE".equals(rs.getString("user_status")),
            AuthMode.valueOf(rs.getString("auth_mode").toUpperCase(java.util.Locale.ROOT))))
        .findOne());
  }

  /**
   * A new certificate for an active credential's key: same subject, new serial, a new validity
   * from now. The earlier certificates are not revoked (signatures made with them keep
   * validating until they expire), stay known to the OCSP responder, and are revoked with the
   * credential ({@link #certificateSerials}).
   *
   * @throws IllegalArgumentException for an unknown or inactive credential
   */
  public X509Certificate renewCertificate(String actor, String credentialId) {
    X509Certificate renewed = jdbi.inTransaction(h -> {
      Map<String, Object> row = h.createQuery("SELECT user_id, key_spec, public_key, serial, status FROM credentials"
              + " WHERE id = :id FOR UPDATE").bind("id", credentialId).mapToMap().findOne()
          .orElseThrow(() -> new IllegalArgumentException("Unknown credential " + credentialId));
      if (!"ACTIVE".equals(row.get("status"))) {
        throw new IllegalArgumentException("Credential " + credentialId + " is " + row.get("status")
            + ": only an active credential's certificate is renewed");
      }
      String userId = (String) row.get("user_id");
      String name = h.createQuery("SELECT display_name FROM users WHERE id = :id").bind("id", userId)
          .mapTo(String.class).one();
      KeySpec spec = KeySpec.valueOf((String) row.get("key_spec"));
      java.security.PublicKey key;
      try {
        key = java.security.KeyFactory.getInstance(spec.algorithm())
            .generatePublic(new java.security.spec.X509EncodedKeySpec((byte[]) row.get("public_key")));
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException("The stored public key of " + credentialId + " does not parse", e);
      }
      X509Certificate cert = ca.issueUserCertificate(h, name, userId, key);
      h.createUpdate("UPDATE credentials SET certificate = :c, serial = :serial WHERE id = :id")
          .bind("c", Dss.encoded(cert)).bind("serial", cert.getSerialNumber().toString(16)).bind("id", credentialId)
          .execute();
      recordCertificate(h, credentialId, cert);
      audit.append(h, "certificate.renewed", actor, userId, Map.of("credential", credentialId,
          "previousSerial", row.get("serial"), "certificateSerial", cert.getSerialNumber().toString(16)));
      return cert;
    });
    java.util.List<X509Certificate> chain = new java.util.ArrayList<>(java.util.List.of(renewed));
    chain.addAll(ca.chainFor(renewed));
    keys.attachCertificate(credentialId, chain);
    return renewed;
  }

  /** Active credentials whose current certificate expires within {@code period} from now. */
  public java.util.List<String> expiringWithin(Duration period) {
    java.time.Instant deadline = clock.instant().plus(period);
    return jdbi.withHandle(h -> h.createQuery("SELECT id, certificate FROM credentials WHERE status = 'ACTIVE'")
        .map((rs, ctx) -> Dss.parseCertificate(rs.getBytes("certificate")).getNotAfter().toInstant()
            .isBefore(deadline) ? rs.getString("id") : null)
        .list().stream().filter(java.util.Objects::nonNull).toList());
  }

  /** Active credentials whose current certificate was issued by another generation of the issuing CA. */
  public java.util.List<String> issuedByOtherThan(String issuerSerial) {
    return jdbi.withHandle(h -> h.createQuery("SELECT c.id FROM credentials c JOIN credential_certificates cc"
        + " ON cc.serial = c.serial WHERE c.status = 'ACTIVE' AND cc.issuer <> :i ORDER BY c.created_at")
        .bind("i", issuerSerial).mapTo(String.class).list());
  }

  /** Every certificate serial issued for the credential, oldest first. */
  public java.util.List<java.math.BigInteger> certificateSerials(String credentialId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT serial FROM credential_certificates WHERE credential_id = :id"
        + " ORDER BY issued_at, LENGTH(serial), serial").bind("id", credentialId).mapTo(String.class).list().stream()
        .map(hex -> new java.math.BigInteger(hex, 16)).toList());
  }

  private void recordCertificate(Handle h, String credentialId, X509Certificate cert) {
    String issuer = ca.issuerOf(cert).orElseThrow(() -> new IllegalStateException("A certificate this CA just issued"
        + " names no generation of its issuing CA")).certificate().getSerialNumber().toString(16);
    h.createUpdate("INSERT INTO credential_certificates (serial, credential_id, certificate, issued_at, issuer)"
            + " VALUES (:s, :id, :c, :now, :issuer)").bind("s", cert.getSerialNumber().toString(16))
        .bind("id", credentialId).bind("c", Dss.encoded(cert)).bind("now", clock.millis()).bind("issuer", issuer)
        .execute();
  }

  /** The credential if it belongs to {@code userId}; another user's is reported as absent. */
  public Optional<Credential> credential(String userId, String credentialId) {
    return credentials(userId).stream().filter(c -> c.id().equals(credentialId)).findFirst();
  }

  private static Credential credential(java.sql.ResultSet rs) throws java.sql.SQLException {
    KeySpec spec = KeySpec.valueOf(rs.getString("key_spec"));
    X509Certificate cert = Dss.parseCertificate(rs.getBytes("certificate"));
    return new Credential(rs.getString("id"), rs.getString("user_id"), spec, cert,
        new SealedKey(spec, cert.getPublicKey(), rs.getBytes("sealed_key"),
            rs.getObject("master_gen") == null ? SealedKey.NOT_SEALED : rs.getInt("master_gen")),
        rs.getString("status"));
  }

  private String pendingUser(Handle h, String code) {
    return h.createQuery("SELECT e.user_id FROM enrolment_codes e JOIN users u ON u.id = e.user_id"
            + " WHERE e.code_hash = :h AND e.used_at IS NULL AND e.expires_at > :now AND u.status = 'PENDING'")
        .bind("h", hash(code == null ? "" : code)).bind("now", clock.millis()).mapTo(String.class).findOne()
        .orElseThrow(() -> new IllegalArgumentException(
            "This enrolment code is unknown, used or expired; ask your administrator for a new one"));
  }

  private byte[] seed(String userId, MasterKeyRing.Sealed sealed) {
    try {
      return master.open(MasterKeyRing.Purpose.TOTP_SEED, sealed.bytes(), sealed.generation(), userId);
    } catch (Aead.DecryptionFailed e) {
      throw new IllegalStateException("The TOTP seed of " + userId + " does not open: wrong master key?", e);
    }
  }

  /** Spends the same Argon2 time for unknown users as for known ones. */
  private void burnDecoy(Secret password) {
    vault.decoyUnlock(password);
  }

  static byte[] hash(String code) {
    return DigestAlgorithm.SHA256.digest(code.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
