package org.opendsm;

import eu.europa.esig.dss.model.DSSException;
import eu.europa.esig.dss.model.Digest;
import eu.europa.esig.dss.token.DSSPrivateKeyEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.opendsm.internal.Dss;
import org.opendsm.internal.KeyStoreToken;
import org.opendsm.internal.Keys;

/**
 * A {@link Signer} over a key in this process: a PKCS#12 file or any {@link KeyStore}
 * (PKCS#11 tokens through SunPKCS11 included).
 *
 * <pre>{@code
 * try (LocalSigner signer = LocalSigner.pkcs12(Path.of("me.p12"), password).build()) {
 *   pades.sign(Document.of(pdf), PadesOptions.builder().build(), signer);
 * }
 * }</pre>
 *
 * <p>RSA keys sign with PKCS#1 v1.5 unless {@link Builder#rsaPss(boolean)} is set or the key is an
 * RSASSA-PSS key; EC keys with ECDSA. Thread-safe;
 * {@link #close()} destroys the password copy it holds.
 */
public final class LocalSigner implements Signer, AutoCloseable {
  private final KeyStoreToken token;
  private final DSSPrivateKeyEntry key;
  private final List<X509Certificate> chain;
  private final SignatureAlgorithm.Scheme scheme;

  private LocalSigner(KeyStoreToken token, DSSPrivateKeyEntry key, SignatureAlgorithm.Scheme scheme) {
    this.token = token;
    this.key = key;
    this.scheme = scheme;
    List<X509Certificate> certs = new ArrayList<>();
    for (var t : key.getCertificateChain()) {
      certs.add(t.getCertificate());
    }
    this.chain = Collections.unmodifiableList(certs);
  }

  /** A PKCS#12 file; the password opens both the file and the key. */
  public static Builder pkcs12(Path file, char[] password) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    KeyStore ks;
    try (InputStream in = Files.newInputStream(file)) {
      ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
    } catch (IOException | GeneralSecurityException e) {
      throw new SigningException("Cannot open key store " + file
          + ": wrong password, or not a PKCS#12 file", e);
    }
    return new Builder(ks, password);
  }

  /** Any loaded key store; {@code keyPassword} may be {@code null} for tokens. */
  public static Builder keyStore(KeyStore keyStore, char[] keyPassword) {
    return new Builder(Objects.requireNonNull(keyStore, "keyStore"), keyPassword);
  }

  @Override
  public List<X509Certificate> certificateChain() {
    return chain;
  }

  @Override
  public SignatureAlgorithm signatureAlgorithm(DigestAlgorithm digestAlgorithm) {
    return SignatureAlgorithm.of(scheme, digestAlgorithm);
  }

  @Override
  public List<SignatureValue> signDigests(DigestAlgorithm digestAlgorithm, List<byte[]> digests) {
    Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
    SignatureAlgorithm algorithm = signatureAlgorithm(digestAlgorithm);
    var dssAlgorithm = Dss.signature(algorithm);
    List<SignatureValue> out = new ArrayList<>(digests.size());
    for (byte[] digest : digests) {
      if (digest.length != digestAlgorithm.length()) {
        throw new IllegalArgumentException("A " + digestAlgorithm + " digest has "
            + digestAlgorithm.length() + " bytes, got " + digest.length);
      }
      try {
        var value = token.signDigest(
            new Digest(Dss.digest(digestAlgorithm), digest), dssAlgorithm, key);
        out.add(new SignatureValue(algorithm, value.getValue()));
      } catch (DSSException e) {
        throw new SigningException("The key refused to sign: " + e.getMessage(), e);
      }
    }
    return List.copyOf(out);
  }

  @Override
  public void close() {
    token.close();
  }

  @Override
  public String toString() {
    return "LocalSigner[" + chain.get(0).getSubjectX500Principal() + ", " + scheme + "]";
  }

  /** Chooses the key and scheme. Not thread-safe. */
  public static final class Builder {
    private final KeyStore keyStore;
    private final char[] password;
    private String alias;
    private boolean rsaPss;

    private Builder(KeyStore keyStore, char[] password) {
      this.keyStore = keyStore;
      this.password = password == null ? null : password.clone();
    }

    /** The key entry to use; optional when the store holds exactly one key. */
    public Builder alias(String alias) {
      this.alias = Objects.requireNonNull(alias, "alias");
      return this;
    }

    /** Sign with RSASSA-PSS instead of PKCS#1 v1.5 (RSA keys only). */
    public Builder rsaPss(boolean rsaPss) {
      this.rsaPss = rsaPss;
      return this;
    }

    public LocalSigner build() {
      KeyStoreToken token = new KeyStoreToken(keyStore, new KeyStore.PasswordProtection(password));
      List<DSSPrivateKeyEntry> keys;
      try {
        keys = token.getKeys();
      } catch (DSSException e) {
        throw new SigningException("Cannot read the keys: wrong key password?", e);
      }
      DSSPrivateKeyEntry key = choose(keys);
      SignatureAlgorithm.Scheme scheme = Keys.defaultScheme(key.getCertificate().getPublicKey());
      if (rsaPss && scheme == SignatureAlgorithm.Scheme.ECDSA) {
        throw new IllegalArgumentException("rsaPss(true) needs an RSA key; the chosen key is EC");
      }
      return new LocalSigner(token, key, rsaPss ? SignatureAlgorithm.Scheme.RSA_PSS : scheme);
    }

    private DSSPrivateKeyEntry choose(List<DSSPrivateKeyEntry> keys) {
      List<String> aliases = new ArrayList<>();
      for (DSSPrivateKeyEntry k : keys) {
        String a = ((eu.europa.esig.dss.token.KSPrivateKeyEntry) k).getAlias();
        aliases.add(a);
        if (a.equals(alias)) {
          return k;
        }
      }
      if (alias == null && keys.size() == 1) {
        return keys.get(0);
      }
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("The key store holds no private key");
      }
      throw new IllegalArgumentException(alias == null
          ? "The key store holds several keys " + aliases + ": choose one with alias(...)"
          : "No key '" + alias + "' in the key store; it holds " + aliases);
    }
  }
}
