package org.opendsm.server.internal.vault;

import java.security.PublicKey;

/**
 * A key pair as the database keeps it: the public key in clear, the private key sealed.
 *
 * @param spec the key type
 * @param publicKey the public key
 * @param sealedPrivateKey the private key as the storage keeps it (see {@link SoftwareVault}); a
 *     PKCS#11 token's reference to its own key
 * @param generation the master key generation that sealed it: 0 for the format before
 *     rotation existed (generation 1's key, no separate outer layer), {@link #NOT_SEALED} for a
 *     key the master key does not protect (in a token)
 */
public record SealedKey(KeySpec spec, PublicKey publicKey, byte[] sealedPrivateKey, int generation) {
  /** The generation of a key that is not sealed by the master key. */
  public static final int NOT_SEALED = -1;

  @Override
  public String toString() {
    return "SealedKey[" + spec + "]";
  }
}
