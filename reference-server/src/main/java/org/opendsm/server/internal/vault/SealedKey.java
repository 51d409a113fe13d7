package org.opendsm.server.internal.vault;

import java.security.PublicKey;

/**
 * A key pair as the database keeps it: the public key in clear, the private key sealed.
 *
 * @param spec the key type
 * @param publicKey the public key
 * @param sealedPrivateKey AES-GCM({@code nonce || PKCS#8 || tag}), context = credential id
 */
public record SealedKey(KeySpec spec, PublicKey publicKey, byte[] sealedPrivateKey) {
  @Override
  public String toString() {
    return "SealedKey[" + spec + "]";
  }
}
