package org.opendsm.server.internal.vault;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Where user private keys live: sealed in the database ({@link SoftwareVault}) or inside a
 * PKCS#11 token ({@link Pkcs11KeyStorage}). Either way a key is reached only through
 * {@link #open}, which the signing service calls after the SAD checks and with the SAD-unlocked
 * secret.
 */
public interface KeyStorage {
  /** A new key pair for {@code credentialId}. */
  SealedKey generate(KeySpec spec, String credentialId, SoftwareVault.Unlocked owner);

  /** Records the issued certificate beside the key (tokens need one to keep the key visible). */
  void attachCertificate(String credentialId, List<X509Certificate> chain);

  /** The private key, for one operation. */
  PrivateKey open(SealedKey key, String credentialId, SoftwareVault.Unlocked owner) throws SoftwareVault.Refused;

  /**
   * The key sealed for a new password (a password change). A token's keys are not sealed by
   * the password: they stay as they are.
   */
  default SealedKey reseal(SealedKey key, String credentialId, SoftwareVault.Unlocked from, SoftwareVault.Unlocked to)
      throws SoftwareVault.Refused {
    return key;
  }

  /**
   * The key sealed under the master key's current generation, without the password (a master
   * key rotation). Keys the master key does not protect stay as they are.
   */
  default SealedKey rewrap(SealedKey key, String credentialId) {
    return key;
  }

  /** Throws if the storage cannot be used now (readiness). */
  default void check() throws Exception {}

  /** The JCA provider that signs with keys from {@link #open}. */
  Provider signingProvider();
}
