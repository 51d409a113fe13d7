package org.opendsm.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import org.opendsm.LocalSigner;

/**
 * A test signer: key, certificate chain (end entity, issuing CA, root) and how it signs.
 *
 * @param keyType the key type
 * @param privateKey the private key (test fixture only)
 * @param chain end entity first
 */
public record Identity(KeyType keyType, PrivateKey privateKey, List<X509Certificate> chain) {
  /** The password of every PKCS#12 file the test PKI writes. Test fixture, not a secret. */
  public static final char[] PKCS12_PASSWORD = "changeit".toCharArray();

  public Identity {
    chain = List.copyOf(chain);
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** Names the identity; never prints key material. */
  @Override
  public String toString() {
    return "Identity[" + keyType + ", " + certificate().getSubjectX500Principal().getName() + "]";
  }

  /** A key store holding this identity under the alias {@code signer}. */
  public KeyStore keyStore() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("signer", privateKey, PKCS12_PASSWORD, chain.toArray(new Certificate[0]));
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A local signer for this identity (PSS for {@link KeyType#RSA_PSS_2048}). */
  public LocalSigner signer() {
    return LocalSigner.keyStore(keyStore(), PKCS12_PASSWORD).rsaPss(keyType.pss()).build();
  }

  /** Writes a PKCS#12 file protected by {@link #PKCS12_PASSWORD}. */
  public Path writePkcs12(Path file) {
    try (OutputStream out = Files.newOutputStream(file)) {
      keyStore().store(out, PKCS12_PASSWORD);
      return file;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot write " + file, e);
    }
  }
}
