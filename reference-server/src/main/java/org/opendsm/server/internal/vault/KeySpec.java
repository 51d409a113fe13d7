package org.opendsm.server.internal.vault;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;

/** The key types a user credential can have. */
public enum KeySpec {
  EC_P256("EC", 256),
  EC_P384("EC", 384),
  RSA_2048("RSA", 2048),
  RSA_3072("RSA", 3072);

  private final String algorithm;
  private final int bits;

  KeySpec(String algorithm, int bits) {
    this.algorithm = algorithm;
    this.bits = bits;
  }

  public String algorithm() {
    return algorithm;
  }

  public int bits() {
    return bits;
  }

  public KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if ("EC".equals(algorithm)) {
        g.initialize(new ECGenParameterSpec(bits == 256 ? "secp256r1" : "secp384r1"));
      } else {
        g.initialize(bits);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot generate a " + this + " key", e);
    }
  }

  public static KeySpec parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Unknown key type '" + text + "': use EC_P256, EC_P384, RSA_2048 or RSA_3072", e);
    }
  }
}
