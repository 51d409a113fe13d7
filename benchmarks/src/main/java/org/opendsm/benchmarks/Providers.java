package org.opendsm.benchmarks;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import org.opendsm.Secret;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import org.opendsm.internal.DigestSignatures;
import org.opendsm.server.internal.vault.KeySpec;
import org.opendsm.server.internal.vault.Pkcs11KeyStorage;

/**
 * The signing providers the benchmarks compare: the JDK's own (SunEC, SunRsaSign), Bouncy Castle
 * (what the software vault signs with) and a PKCS#11 token through SunPKCS11 (SoftHSM2 here, what
 * the HSM vault signs with). The token comes from the same environment as the server's:
 * {@code DSM_PKCS11_LIBRARY} (or {@code DSM_TEST_PKCS11_LIBRARY}) and {@code DSM_PKCS11_PIN} (or
 * {@code DSM_TEST_PKCS11_PIN}), slot index {@code DSM_PKCS11_SLOT_INDEX}, default 0.
 */
enum Providers {
  JDK, BC, PKCS11;

  private static Provider token;

  /** The provider that signs with keys of {@code key}'s type. */
  Provider provider(KeySpec key) {
    return switch (this) {
      // SunJCE carries the JDK's NONEwithRSA (over its RSA cipher); SunRsaSign has only hash-and-sign.
      case JDK -> Security.getProvider("EC".equals(key.algorithm()) ? "SunEC" : "SunJCE");
      case BC -> DigestSignatures.bouncyCastle();
      case PKCS11 -> token(System.getenv());
    };
  }

  /** A fresh key pair made by the provider (in the token, as a session object, for PKCS#11). */
  KeyPair generate(KeySpec key) throws GeneralSecurityException {
    KeyPairGenerator g = this == JDK ? KeyPairGenerator.getInstance(key.algorithm())
        : KeyPairGenerator.getInstance(key.algorithm(), provider(key));
    if ("EC".equals(key.algorithm())) {
      g.initialize(new ECGenParameterSpec(key.bits() == 256 ? "secp256r1" : "secp384r1"));
    } else {
      g.initialize(key.bits());
    }
    return g.generateKeyPair();
  }

  /** Whether a PKCS#11 token is configured in the environment. */
  static boolean tokenConfigured(Map<String, String> env) {
    return library(env) != null;
  }

  private static String library(Map<String, String> env) {
    return env.getOrDefault("DSM_PKCS11_LIBRARY", env.get("DSM_TEST_PKCS11_LIBRARY"));
  }

  private static synchronized Provider token(Map<String, String> env) {
    if (token == null) {
      String library = library(env);
      if (library == null) {
        throw new IllegalStateException("No PKCS#11 token: set DSM_PKCS11_LIBRARY and DSM_PKCS11_PIN"
            + " (and SOFTHSM2_CONF for SoftHSM2)");
      }
      String pin = env.getOrDefault("DSM_PKCS11_PIN", env.getOrDefault("DSM_TEST_PKCS11_PIN", "1234"));
      // The vault's own way into the token: the same configuration and login as the server's.
      token = Pkcs11KeyStorage.open(library, Integer.parseInt(env.getOrDefault("DSM_PKCS11_SLOT_INDEX", "0")),
          Secret.of(pin)).signingProvider();
    }
    return token;
  }
}
