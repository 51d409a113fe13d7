package org.opendsm.server.internal.vault;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.opendsm.Secret;
import org.opendsm.server.internal.crypto.Aead;
import org.opendsm.server.internal.crypto.Argon2;

/**
 * Sole control in software. Each user's private keys are sealed (AES-256-GCM) under a key derived
 * (HKDF) from Argon2id(signing password), and that sealed value again under the master key.
 * Neither half alone opens them: a database dump needs the password, the master key needs the
 * password too. The password verifier is wrapped under the master key as well, so a dump alone
 * does not even allow offline guessing.
 *
 * <p>The master key's layer is the outer one, so a master key rotation re-wraps every value
 * without anybody's password ({@link #rewrap}). Values written before rotation existed
 * (generation 0) mixed both halves in one key derivation; they open with generation 1 and move
 * to the current generation at their owner's next sign-in ({@link #upgrade}).
 *
 * <p>Between {@code credentials/authorize} and {@code signatures/signHash} the password is gone;
 * the Argon2 output is then sealed under a key derived from the SAD itself (which the server
 * stores only as a hash) and the master key. So a live SAD, presented by its holder, is the only
 * other way to a signature.
 *
 * <p>Thread-safe; holds no user secret between calls.
 */
public final class SoftwareVault implements KeyStorage {
  private static final String VERIFIER = "opendsm/password-verifier/v1";
  private static final String KEY_WRAP = "opendsm/key-wrap/v1/";
  private static final String VERIFIER_V2 = "opendsm/password-verifier/v2";
  private static final String KEY_WRAP_V2 = "opendsm/key-wrap/v2/";
  private static final String SAD_ESCROW = "opendsm/sad-escrow/v1/";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MasterKeyRing master;
  private final Argon2 cost;
  private volatile LongConsumer derivationTimes = nanos -> { };

  public SoftwareVault(MasterKeyRing master, Argon2 cost) {
    this.master = Objects.requireNonNull(master, "master");
    this.cost = Objects.requireNonNull(cost, "cost");
  }

  /** Told how long each password derivation took, in nanoseconds (metrics); must be quick. */
  public void onDerivation(LongConsumer nanos) {
    this.derivationTimes = Objects.requireNonNull(nanos, "nanos");
  }

  /**
   * What the database keeps of a password: salt, cost, and a verifier (never the password), with
   * the master key generation that wrapped the verifier (0: the format before rotation).
   */
  public record PasswordRecord(byte[] salt, String argon, byte[] verifier, int generation) {
    @Override
    public String toString() {
      return "PasswordRecord[" + argon + ", generation " + generation + "]";
    }
  }

  /** A SAD's or a session's escrow, with the master key generation that sealed it. */
  public record Escrow(byte[] sealed, int generation) {
    @Override
    public String toString() {
      return "Escrow[generation " + generation + "]";
    }
  }

  /** The unlocked user secret (Argon2 output) for one operation; wipe with close(). */
  public static final class Unlocked implements AutoCloseable {
    private final byte[] material;
    private final byte[] salt;

    Unlocked(byte[] material, byte[] salt) {
      this.material = material;
      this.salt = salt;
    }

    @Override
    public void close() {
      Arrays.fill(material, (byte) 0);
    }

    @Override
    public String toString() {
      return "Unlocked[redacted]";
    }
  }

  /** Thrown when the password (or SAD) does not open the vault. Says nothing more on purpose. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    public Refused() {
      super("Refused");
    }
  }

  public PasswordRecord newPassword(Secret password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    try (Unlocked u = derive(password, salt, cost)) {
      return record(u, cost.encode());
    }
  }

  /** Checks the password; the result opens the user's keys and can be escrowed under a SAD. */
  public Unlocked unlock(PasswordRecord record, Secret password) throws Refused {
    Unlocked u = derive(password, record.salt(), Argon2.decode(record.argon()));
    if (!MessageDigest.isEqual(expectedVerifier(u, record.generation()), storedVerifier(record))) {
      u.close();
      throw new Refused();
    }
    return u;
  }

  /**
   * Spends the work of {@link #unlock} on a password that opens nothing (a sign-in for an
   * unknown or disabled user), so the answer takes as long. Needs no master key generation: it
   * keeps working whatever generations are retired.
   */
  public void decoyUnlock(Secret password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    try (Unlocked u = derive(password, salt, cost)) {
      byte[] inner = org.opendsm.server.internal.crypto.Hkdf.derive(u.material, u.salt, VERIFIER_V2, 32);
      Arrays.fill(inner, (byte) 0);
    }
  }

  /**
   * The password record of {@code unlocked} (same salt and cost) wrapped under the current
   * generation: a generation 0 record moves to the new format once its owner signs in.
   */
  public PasswordRecord upgrade(PasswordRecord record, Unlocked unlocked) {
    if (!MessageDigest.isEqual(record.salt(), unlocked.salt)) {
      throw new IllegalArgumentException("The unlocked secret belongs to another password record");
    }
    return record(unlocked, record.argon());
  }

  /** The record with its verifier re-wrapped under the current generation, without the password. */
  public PasswordRecord rewrap(PasswordRecord record) {
    if (record.generation() == 0) {
      throw new IllegalArgumentException("A generation 0 verifier moves only with its password (upgrade)");
    }
    byte[] inner = storedVerifier(record);
    try {
      MasterKey to = master.current();
      return new PasswordRecord(record.salt(), record.argon(), to.wrap(inner, VERIFIER_V2), to.generation());
    } finally {
      Arrays.fill(inner, (byte) 0);
    }
  }

  private PasswordRecord record(Unlocked u, String argon) {
    MasterKey to = master.current();
    byte[] inner = org.opendsm.server.internal.crypto.Hkdf.derive(u.material, u.salt, VERIFIER_V2, 32);
    try {
      return new PasswordRecord(u.salt.clone(), argon, to.wrap(inner, VERIFIER_V2), to.generation());
    } finally {
      Arrays.fill(inner, (byte) 0);
    }
  }

  /** What the verifier should be for this password: generation 0 mixed in the master key. */
  private byte[] expectedVerifier(Unlocked u, int generation) {
    return generation == 0 ? master.generation(1).combine(u.material, u.salt, VERIFIER)
        : org.opendsm.server.internal.crypto.Hkdf.derive(u.material, u.salt, VERIFIER_V2, 32);
  }

  private byte[] storedVerifier(PasswordRecord record) {
    if (record.generation() == 0) {
      return record.verifier();
    }
    try {
      return master.generation(record.generation()).unwrap(record.verifier(), VERIFIER_V2);
    } catch (Aead.DecryptionFailed e) {
      throw new IllegalStateException("A password verifier does not open with generation " + record.generation()
          + " of the master key: damaged, or another master key", e);
    }
  }

  /** Bouncy Castle: several times faster than the JDK 17 provider for ECDSA, and has raw PSS. */
  @Override
  public java.security.Provider signingProvider() {
    return org.opendsm.internal.DigestSignatures.bouncyCastle();
  }

  /** The certificate lives in the database row; nothing to do here. */
  @Override
  public void attachCertificate(String credentialId, java.util.List<java.security.cert.X509Certificate> chain) {}

  /** A new key pair whose private half is sealed for {@code credentialId}. */
  @Override
  public SealedKey generate(KeySpec spec, String credentialId, Unlocked owner) {
    KeyPair pair = spec.generate();
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    try {
      return seal(spec, pair.getPublic(), pkcs8, credentialId, owner);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /** The private key of {@code sealed}; use it for one operation and drop it. */
  @Override
  public PrivateKey open(SealedKey sealed, String credentialId, Unlocked owner) throws Refused {
    byte[] pkcs8 = null;
    try {
      pkcs8 = pkcs8(sealed, credentialId, owner);
      // A Bouncy Castle key for the Bouncy Castle signer: a JDK key would be converted on every
      // signature, and its curve with it, losing the precomputed base-point tables (about 3x slower).
      return KeyFactory.getInstance(sealed.spec().algorithm(), org.opendsm.internal.DigestSignatures.bouncyCastle())
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Corrupt key of " + credentialId, e);
    } finally {
      if (pkcs8 != null) {
        Arrays.fill(pkcs8, (byte) 0);
      }
    }
  }

  /**
   * The private key opened with the old password's material and sealed with the new one's,
   * under the current generation. With {@code from == to} it moves a generation 0 key to the
   * current format at its owner's sign-in.
   */
  @Override
  public SealedKey reseal(SealedKey sealed, String credentialId, Unlocked from, Unlocked to) throws Refused {
    byte[] pkcs8 = pkcs8(sealed, credentialId, from);
    try {
      return seal(sealed.spec(), sealed.publicKey(), pkcs8, credentialId, to);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /** The master key's layer opened with its generation and closed with the current one. */
  @Override
  public SealedKey rewrap(SealedKey sealed, String credentialId) {
    if (sealed.generation() < 1) {
      throw new IllegalArgumentException("Only a wrapped key moves without its password (generation "
          + sealed.generation() + ")");
    }
    byte[] inner = unwrapKey(sealed, credentialId);
    MasterKey to = master.current();
    return new SealedKey(sealed.spec(), sealed.publicKey(), to.wrap(inner, KEY_WRAP_V2 + credentialId),
        to.generation());
  }

  private SealedKey seal(KeySpec spec, java.security.PublicKey publicKey, byte[] pkcs8, String credentialId,
      Unlocked owner) {
    byte[] kek = org.opendsm.server.internal.crypto.Hkdf.derive(owner.material, owner.salt, KEY_WRAP_V2 + credentialId, 32);
    try {
      MasterKey to = master.current();
      byte[] inner = Aead.seal(kek, pkcs8, credentialId);
      return new SealedKey(spec, publicKey, to.wrap(inner, KEY_WRAP_V2 + credentialId), to.generation());
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  private byte[] pkcs8(SealedKey sealed, String credentialId, Unlocked owner) throws Refused {
    boolean legacy = sealed.generation() == 0;
    byte[] kek = legacy ? master.generation(1).combine(owner.material, owner.salt, KEY_WRAP + credentialId)
        : org.opendsm.server.internal.crypto.Hkdf.derive(owner.material, owner.salt, KEY_WRAP_V2 + credentialId, 32);
    try {
      return Aead.open(kek, legacy ? sealed.sealedPrivateKey() : unwrapKey(sealed, credentialId), credentialId);
    } catch (Aead.DecryptionFailed e) {
      throw new Refused();
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  private byte[] unwrapKey(SealedKey sealed, String credentialId) {
    try {
      return master.generation(sealed.generation()).unwrap(sealed.sealedPrivateKey(), KEY_WRAP_V2 + credentialId);
    } catch (Aead.DecryptionFailed e) {
      throw new IllegalStateException("The key of " + credentialId + " does not open with generation "
          + sealed.generation() + " of the master key: damaged, or another master key", e);
    }
  }

  /** Seals the unlocked secret under a SAD, for signHash calls after the password is gone. */
  public Escrow escrow(Unlocked owner, byte[] sad, String sadId) {
    MasterKey by = master.current();
    byte[] key = by.combine(sad, sadId.getBytes(java.nio.charset.StandardCharsets.UTF_8), SAD_ESCROW);
    try {
      byte[] plain = new byte[owner.salt.length + owner.material.length];
      System.arraycopy(owner.salt, 0, plain, 0, owner.salt.length);
      System.arraycopy(owner.material, 0, plain, owner.salt.length, owner.material.length);
      try {
        return new Escrow(Aead.seal(key, plain, sadId), by.generation());
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Opens what {@link #escrow} sealed, given the SAD its holder presents. */
  public Unlocked unlockWithSad(Escrow escrowed, byte[] sad, String sadId) throws Refused {
    // Generation 0 never existed for escrows: their formula is generation 1's.
    byte[] key = master.generation(Math.max(1, escrowed.generation()))
        .combine(sad, sadId.getBytes(java.nio.charset.StandardCharsets.UTF_8), SAD_ESCROW);
    try {
      byte[] plain = Aead.open(key, escrowed.sealed(), sadId);
      Unlocked u = new Unlocked(Arrays.copyOfRange(plain, 16, plain.length), Arrays.copyOf(plain, 16));
      Arrays.fill(plain, (byte) 0);
      return u;
    } catch (Aead.DecryptionFailed e) {
      throw new Refused();
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * At most a few Argon2 derivations at once: each holds its memory cost (19 MiB), and a flood of
   * login attempts must not exhaust the heap.
   */
  private static final java.util.concurrent.Semaphore ARGON2_SLOTS =
      new java.util.concurrent.Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors() * 2), true);

  private Unlocked derive(Secret password, byte[] salt, Argon2 argon) {
    byte[] pw = password.utf8();
    ARGON2_SLOTS.acquireUninterruptibly();
    long start = System.nanoTime();
    try {
      return new Unlocked(argon.derive(pw, salt, 32), salt.clone());
    } finally {
      derivationTimes.accept(System.nanoTime() - start);
      ARGON2_SLOTS.release();
      Arrays.fill(pw, (byte) 0);
    }
  }
}
