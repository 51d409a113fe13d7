package org.opendsm.server.internal.vault;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.opendsm.Secret;

/**
 * Keys generated inside a PKCS#11 token (an HSM; SoftHSM2 in tests) through SunPKCS11: sensitive
 * and never extractable, so {@code getEncoded()} is null and no database dump contains them.
 *
 * <p>A key without a certificate is invisible to the PKCS#11 key store, so each new key is stored
 * at once with a self-signed placeholder made by the token, then given its issued chain.
 *
 * <p>Sole control here rests on the server: the token PIN unlocks every key, and the signing
 * service opens a key only for a live SAD. A certified SAM would move that check into the HSM.
 */
public final class Pkcs11KeyStorage implements KeyStorage {
  private final Provider provider;
  private final KeyStore keyStore;

  /** Handles to keys found in the token, by credential (bounded; least recently used go first). */
  private final java.util.Map<String, PrivateKey> handles = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, PrivateKey> eldest) {
          return size() > 4096;
        }
      });

  private Pkcs11KeyStorage(Provider provider, KeyStore keyStore) {
    this.provider = provider;
    this.keyStore = keyStore;
  }

  /**
   * Logs in to the token in {@code slotListIndex} of {@code library} with the user PIN.
   *
   * @throws IllegalStateException naming the library when the token cannot be opened
   */
  public static Pkcs11KeyStorage open(String library, int slotListIndex, Secret pin) {
    String config = "--name=OpenDSM\nlibrary=" + library + "\nslotListIndex=" + slotListIndex + "\n"
        + "attributes(generate,CKO_PRIVATE_KEY,*) = {\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n";
    try {
      Provider p = Security.getProvider("SunPKCS11").configure(config);
      KeyStore ks = KeyStore.getInstance("PKCS11", p);
      ks.load(null, pin.chars());
      return new Pkcs11KeyStorage(p, ks);
    } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
      throw new IllegalStateException("Cannot open PKCS#11 token " + slotListIndex + " of " + library
          + ": " + e.getMessage(), e);
    }
  }

  @Override
  public SealedKey generate(KeySpec spec, String credentialId, SoftwareVault.Unlocked owner) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(spec.algorithm(), provider);
      if ("EC".equals(spec.algorithm())) {
        g.initialize(new ECGenParameterSpec(spec.bits() == 256 ? "secp256r1" : "secp384r1"));
      } else {
        g.initialize(spec.bits());
      }
      KeyPair pair = g.generateKeyPair();
      synchronized (keyStore) {
        keyStore.setKeyEntry(credentialId, pair.getPrivate(), null, new Certificate[] {placeholder(pair)});
      }
      return new SealedKey(spec, pair.getPublic(), ("pkcs11:" + credentialId).getBytes(StandardCharsets.UTF_8),
          SealedKey.NOT_SEALED);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("The token refused to generate a " + spec + " key", e);
    }
  }

  @Override
  public void attachCertificate(String credentialId, List<X509Certificate> chain) {
    try {
      synchronized (keyStore) {
        PrivateKey key = (PrivateKey) keyStore.getKey(credentialId, null);
        keyStore.setKeyEntry(credentialId, key, null, chain.toArray(new Certificate[0]));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot store the certificate of " + credentialId + " in the token", e);
    }
  }

  /**
   * The token's handle to the credential's key. Looking a key up in SunPKCS11's key store searches
   * the token's objects under one lock (about 7 ms a call with 120 keys in SoftHSM2, and every
   * signHash waited for it), so handles are kept once found. A handle is no key material: it signs
   * only inside the logged-in token, and only for a credential the signing service has found
   * active and its SAD valid.
   */
  @Override
  public PrivateKey open(SealedKey key, String credentialId, SoftwareVault.Unlocked owner) throws SoftwareVault.Refused {
    PrivateKey cached = handles.get(credentialId);
    if (cached != null) {
      return cached;
    }
    try {
      PrivateKey k;
      synchronized (keyStore) {
        k = (PrivateKey) keyStore.getKey(credentialId, null);
      }
      if (k == null) {
        throw new SoftwareVault.Refused();
      }
      handles.put(credentialId, k);
      return k;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("The token cannot find the key of " + credentialId, e);
    }
  }

  /** Asks the token for its key count: fails when the token is gone or logged out. */
  @Override
  public void check() throws Exception {
    try {
      synchronized (keyStore) {
        keyStore.size();
      }
    } catch (Exception e) {
      handles.clear(); // a token that went away invalidates its handles
      throw e;
    }
  }

  @Override
  public Provider signingProvider() {
    return provider;
  }

  private X509Certificate placeholder(KeyPair pair) throws GeneralSecurityException {
    X500Name name = new X500Name("CN=OpenDSM key placeholder");
    Instant now = Instant.now();
    var b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now), Date.from(now.plusSeconds(3600)),
        name, pair.getPublic());
    String alg = "EC".equals(pair.getPublic().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
    try {
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder(alg).setProvider(provider).build(pair.getPrivate())));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
