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
 * (HKDF) from Argon2id(signing password) joined with the master key. Neither half alone opens
 * them: a database dump needs the password, the master key needs the password too. The password
 * verifier also involves the master key, so a dump alone does not even allow offline guessing.
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
  private static final String SAD_ESCROW = "opendsm/sad-escrow/v1/";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MasterKey master;
  private final Argon2 cost;
  private volatile LongConsumer derivationTimes = nanos -> { };

  public SoftwareVault(MasterKey master, Argon2 cost) {
    this.master = Objects.requireNonNull(master, "master");
    this.cost = Objects.requireNonNull(cost, "cost");
  }

  /** Told how long each password derivation took, in nanoseconds (metrics); must be quick. */
  public void onDerivation(LongConsumer nanos) {
    this.derivationTimes = Objects.requireNonNull(nanos, "nanos");
  }

  /** What the database keeps of a password: salt, cost, and a verifier (never the password). */
  public record PasswordRecord(byte[] salt, String argon, byte[] verifier) {}

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
      return new PasswordRecord(salt, cost.encode(), master.combine(u.material, salt, VERIFIER));
    }
  }

  /** Checks the password; the result opens the user's keys and can be escrowed under a SAD. */
  public Unlocked unlock(PasswordRecord record, Secret password) throws Refused {
    Unlocked u = derive(password, record.salt(), Argon2.decode(record.argon()));
    if (!MessageDigest.isEqual(master.combine(u.material, record.salt(), VERIFIER), record.verifier())) {
      u.close();
      throw new Refused();
    }
    return u;
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
      byte[] kek = master.combine(owner.material, owner.salt, KEY_WRAP + credentialId);
      try {
        return new SealedKey(spec, pair.getPublic(), Aead.seal(kek, pkcs8, credentialId));
      } finally {
        Arrays.fill(kek, (byte) 0);
      }
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /** The private key of {@code sealed}; use it for one operation and drop it. */
  @Override
  public PrivateKey open(SealedKey sealed, String credentialId, Unlocked owner) throws Refused {
    byte[] kek = master.combine(owner.material, owner.salt, KEY_WRAP + credentialId);
    byte[] pkcs8 = null;
    try {
      pkcs8 = Aead.open(kek, sealed.sealedPrivateKey(), credentialId);
      // A Bouncy Castle key for the Bouncy Castle signer: a JDK key would be converted on every
      // signature, and its curve with it, losing the precomputed base-point tables (about 3x slower).
      return KeyFactory.getInstance(sealed.spec().algorithm(), org.opendsm.internal.DigestSignatures.bouncyCastle())
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (Aead.DecryptionFailed e) {
      throw new Refused();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Corrupt key of " + credentialId, e);
    } finally {
      Arrays.fill(kek, (byte) 0);
      if (pkcs8 != null) {
        Arrays.fill(pkcs8, (byte) 0);
      }
    }
  }

  /** The private key opened with the old password's material and sealed with the new one's. */
  @Override
  public SealedKey reseal(SealedKey sealed, String credentialId, Unlocked from, Unlocked to) throws Refused {
    PrivateKey key = open(sealed, credentialId, from);
    byte[] pkcs8 = key.getEncoded();
    byte[] kek = master.combine(to.material, to.salt, KEY_WRAP + credentialId);
    try {
      return new SealedKey(sealed.spec(), sealed.publicKey(), Aead.seal(kek, pkcs8, credentialId));
    } finally {
      Arrays.fill(kek, (byte) 0);
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /** Seals the unlocked secret under a SAD, for signHash calls after the password is gone. */
  public byte[] escrow(Unlocked owner, byte[] sad, String sadId) {
    byte[] key = master.combine(sad, sadId.getBytes(java.nio.charset.StandardCharsets.UTF_8), SAD_ESCROW);
    try {
      byte[] plain = new byte[owner.salt.length + owner.material.length];
      System.arraycopy(owner.salt, 0, plain, 0, owner.salt.length);
      System.arraycopy(owner.material, 0, plain, owner.salt.length, owner.material.length);
      try {
        return Aead.seal(key, plain, sadId);
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Opens what {@link #escrow} sealed, given the SAD its holder presents. */
  public Unlocked unlockWithSad(byte[] escrowed, byte[] sad, String sadId) throws Refused {
    byte[] key = master.combine(sad, sadId.getBytes(java.nio.charset.StandardCharsets.UTF_8), SAD_ESCROW);
    try {
      byte[] plain = Aead.open(key, escrowed, sadId);
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
