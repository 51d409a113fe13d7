package org.opendsm.server.internal.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.opendsm.Secret;
import org.opendsm.server.internal.crypto.Hkdf;

/**
 * The server's master key: 256 random bits in a PKCS#12 file protected by a passphrase from the
 * environment, created on first start. On its own it unlocks nothing a user owns: user keys also
 * need the user's password, or a live SAD.
 */
public final class MasterKey {
  private static final String ALIAS = "opendsm-master-key";
  private final byte[] key;

  private MasterKey(byte[] key) {
    this.key = key;
  }

  /** For tests: a key held only in memory. */
  public static MasterKey random() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return new MasterKey(k);
  }

  /** Loads the key from {@code file}, or creates the file with a new key if it does not exist. */
  public static MasterKey loadOrCreate(Path file, Secret passphrase) {
    try {
      if (Files.exists(file)) {
        return load(file, passphrase);
      }
      return create(file, passphrase);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot open the master key " + file
          + ": wrong passphrase (DSM_MASTER_PASSPHRASE) or damaged file", e);
    }
  }

  private static MasterKey load(Path file, Secret passphrase) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    char[] pw = passphrase.chars();
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, pw);
      SecretKey k = (SecretKey) ks.getKey(ALIAS, pw);
      if (k == null) {
        throw new GeneralSecurityException("no master key entry");
      }
      return new MasterKey(k.getEncoded());
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  private static MasterKey create(Path file, Secret passphrase) throws IOException, GeneralSecurityException {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] pw = passphrase.chars();
    try {
      ks.setEntry(ALIAS, new KeyStore.SecretKeyEntry(new SecretKeySpec(k, "AES")),
          new KeyStore.PasswordProtection(pw));
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".master", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (OutputStream out = Files.newOutputStream(tmp)) {
        ks.store(out, pw);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Arrays.fill(pw, '\0');
    }
    return new MasterKey(k);
  }

  /** HKDF of {@code material} joined with the master key: the key needs both. */
  byte[] combine(byte[] material, byte[] salt, String label) {
    byte[] ikm = new byte[material.length + key.length];
    System.arraycopy(material, 0, ikm, 0, material.length);
    System.arraycopy(key, 0, ikm, material.length, key.length);
    try {
      return Hkdf.derive(ikm, salt, label, 32);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /** A key derived from the master key alone (e.g. for TOTP seeds at rest). */
  public byte[] derive(String label) {
    return Hkdf.derive(key, new byte[0], label, 32);
  }

  @Override
  public String toString() {
    return "MasterKey[redacted]";
  }
}
