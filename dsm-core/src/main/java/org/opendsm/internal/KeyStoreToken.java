package org.opendsm.internal;

import eu.europa.esig.dss.spi.DSSSecurityProvider;
import eu.europa.esig.dss.token.AbstractKeyStoreTokenConnection;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;

/**
 * DSS's key-store token over any {@link KeyStore} (PKCS#12, JKS, PKCS#11...). Digest signing
 * (DigestInfo for RSA, PSS, ECDSA) is DSS's; algorithms the key's provider lacks, such as raw PSS,
 * fall back to Bouncy Castle for this call only, without touching the global provider list.
 */
public final class KeyStoreToken extends AbstractKeyStoreTokenConnection {
  private final KeyStore keyStore;
  private final KeyStore.PasswordProtection protection;

  public KeyStoreToken(KeyStore keyStore, KeyStore.PasswordProtection protection) {
    this.keyStore = keyStore;
    this.protection = protection;
  }

  @Override
  protected KeyStore getKeyStore() {
    return keyStore;
  }

  @Override
  protected KeyStore.PasswordProtection getKeyProtectionParameter() {
    return protection;
  }

  @Override
  protected Signature getSignatureInstance(String algorithm) throws NoSuchAlgorithmException {
    try {
      return Signature.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      return Signature.getInstance(algorithm, DSSSecurityProvider.getSecurityProvider());
    }
  }

  @Override
  public void close() {
    try {
      protection.destroy();
    } catch (javax.security.auth.DestroyFailedException e) {
      // The password array is cleared where the JDK allows; nothing more to do.
    }
  }
}
