package org.opendsm.server.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce, output {@code nonce || ciphertext || tag}. The
 * associated data binds a ciphertext to its place (a credential id, a SAD id), so a blob copied to
 * another row does not decrypt.
 */
public final class Aead {
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Aead() {}

  /** Thrown when a ciphertext does not authenticate: wrong key, wrong context or tampering. */
  public static final class DecryptionFailed extends Exception {
    private static final long serialVersionUID = 1L;

    DecryptionFailed(Throwable cause) {
      super("Decryption failed", cause);
    }
  }

  public static byte[] seal(byte[] key, byte[] plaintext, String context) {
    byte[] nonce = new byte[NONCE];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = cipher(Cipher.ENCRYPT_MODE, key, nonce, context);
      byte[] ct = c.doFinal(plaintext);
      byte[] out = Arrays.copyOf(nonce, NONCE + ct.length);
      System.arraycopy(ct, 0, out, NONCE, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  public static byte[] open(byte[] key, byte[] sealed, String context) throws DecryptionFailed {
    if (sealed.length < NONCE + TAG_BITS / 8) {
      throw new DecryptionFailed(new IllegalArgumentException("too short"));
    }
    try {
      Cipher c = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(sealed, NONCE), context);
      return c.doFinal(sealed, NONCE, sealed.length - NONCE);
    } catch (AEADBadTagException e) {
      throw new DecryptionFailed(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  private static Cipher cipher(int mode, byte[] key, byte[] nonce, String context) throws GeneralSecurityException {
    if (key.length != 32) {
      throw new IllegalArgumentException("AES-256 needs a 32-byte key");
    }
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    return c;
  }
}
