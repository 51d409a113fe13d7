package org.opendsm.server.internal.vault;

import java.security.SecureRandom;
import java.util.Arrays;
import org.opendsm.server.internal.crypto.Aead;
import org.opendsm.server.internal.crypto.Hkdf;

/**
 * One generation of the server's master key: 256 random bits, kept with the other generations in
 * the node's {@link MasterKeyRing} file. On its own it unlocks nothing a user owns: user keys also
 * need the user's password, or a live SAD.
 *
 * <p>Generation 1 is the key a data directory was created with; a rotation adds generation 2, 3,
 * ... and the database records which generation sealed each value.
 */
public final class MasterKey {
  private static final String OUTER_WRAP = "opendsm/master-wrap/v1";
  private static final String CHECK = "opendsm/master-key-check/v1";
  private final int generation;
  private final byte[] key;

  MasterKey(int generation, byte[] key) {
    if (generation < 1) {
      throw new IllegalArgumentException("Master key generations start at 1");
    }
    this.generation = generation;
    this.key = key.clone();
  }

  /** A new random key of {@code generation}. */
  static MasterKey random(int generation) {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return new MasterKey(generation, k);
  }

  public int generation() {
    return generation;
  }

  byte[] encoded() {
    return key.clone();
  }

  /**
   * A public fingerprint of this generation (16 bytes of HKDF output): lets nodes check that their
   * files hold the same key under the same generation number, without revealing it.
   */
  public byte[] checkValue() {
    return java.util.Arrays.copyOf(Hkdf.derive(key, new byte[0], CHECK, 32), 16);
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

  /**
   * The outer layer of a value that also needs the user's password (password verifiers, user
   * keys): AES-GCM under this generation, so a rotation can re-wrap it without the password.
   */
  byte[] wrap(byte[] inner, String context) {
    byte[] k = derive(OUTER_WRAP);
    try {
      return Aead.seal(k, inner, context);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** Removes the layer {@link #wrap} added. */
  byte[] unwrap(byte[] wrapped, String context) throws Aead.DecryptionFailed {
    byte[] k = derive(OUTER_WRAP);
    try {
      return Aead.open(k, wrapped, context);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "MasterKey[generation " + generation + ", redacted]";
  }
}
