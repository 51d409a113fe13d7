package org.opendsm.client;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.opendsm.DigestAlgorithm;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.SignatureValue;
import org.opendsm.Signer;
import org.opendsm.SigningException;
import org.opendsm.internal.Dss;
import org.opendsm.internal.DigestSignatures;
import org.opendsm.protocol.AuthorizeResponse;
import org.opendsm.protocol.CredentialInfo;

/**
 * A {@link Signer} whose key lives in a remote signing service (explicit mode): each batch is
 * authorised with the user's password and TOTP code for exactly its digests (SCAL 2), then signed
 * with signHash; every returned value is checked against the certificate before it is used.
 *
 * <pre>{@code
 * RemoteSigner signer = RemoteSigner.builder(client).userId("alice")
 *     .authorization(AuthorizationProvider.terminal()).build();
 * pades.signAll(pdfs, options, signer);      // one authorisation per multisign batch
 * }</pre>
 *
 * <p>Thread-safe as far as the provider is.
 */
public final class RemoteSigner implements Signer {
  private final DsmClient client;
  private final String credentialId;
  private final List<X509Certificate> chain;
  private final int multisign;
  private final boolean rsaPss;
  private final AuthorizationProvider authorization;

  private RemoteSigner(Builder b, CredentialInfo info) {
    this.client = b.client;
    this.credentialId = info.credentialID();
    this.authorization = b.authorization;
    this.rsaPss = b.rsaPss;
    this.multisign = info.multisign() == null || info.multisign() < 1 ? 1 : info.multisign();
    List<X509Certificate> certs = new ArrayList<>();
    for (String c : info.cert().certificates()) {
      certs.add(Dss.parseCertificate(Base64.getDecoder().decode(c)));
    }
    this.chain = List.copyOf(certs);
  }

  public static Builder builder(DsmClient client) {
    return new Builder(Objects.requireNonNull(client, "client"));
  }

  public String credentialId() {
    return credentialId;
  }

  @Override
  public List<X509Certificate> certificateChain() {
    return chain;
  }

  @Override
  public SignatureAlgorithm signatureAlgorithm(DigestAlgorithm digestAlgorithm) {
    SignatureAlgorithm.Scheme scheme = chain.get(0).getPublicKey() instanceof ECKey ? SignatureAlgorithm.Scheme.ECDSA
        : rsaPss ? SignatureAlgorithm.Scheme.RSA_PSS : SignatureAlgorithm.Scheme.RSA_PKCS1;
    return SignatureAlgorithm.of(scheme, digestAlgorithm);
  }

  /** Splits the batch by the credential's multisign; one user interaction per part. */
  @Override
  public List<SignatureValue> signDigests(DigestAlgorithm digestAlgorithm, List<byte[]> digests) {
    SignatureAlgorithm algorithm = signatureAlgorithm(digestAlgorithm);
    int parts = (digests.size() + multisign - 1) / multisign;
    List<SignatureValue> out = new ArrayList<>(digests.size());
    for (int part = 0; part < parts; part++) {
      List<byte[]> batch = digests.subList(part * multisign, Math.min(digests.size(), (part + 1) * multisign));
      AuthorizationProvider.Factors factors = authorization.factors(
          new AuthorizationProvider.Request(credentialId, batch.size(), part + 1, parts));
      AuthorizeResponse sad;
      try {
        sad = client.authorize(credentialId, digestAlgorithm, batch, factors.password(), factors.otp());
      } finally {
        factors.password().close();
        factors.otp().close();
      }
      List<byte[]> values = client.signHash(credentialId, sad.sad(), algorithm, batch);
      if (values.size() != batch.size()) {
        throw new SigningException("The service returned " + values.size() + " signatures for " + batch.size() + " hashes");
      }
      for (int i = 0; i < batch.size(); i++) {
        if (!DigestSignatures.verify(chain.get(0).getPublicKey(), algorithm, batch.get(i), values.get(i))) {
          throw new SigningException("The service returned a signature that does not verify against the"
              + " certificate of credential " + credentialId);
        }
        out.add(new SignatureValue(algorithm, values.get(i)));
      }
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "RemoteSigner[" + credentialId + ", " + chain.get(0).getSubjectX500Principal().getName() + "]";
  }

  /** Chooses the credential. Not thread-safe. */
  public static final class Builder {
    private final DsmClient client;
    private String userId;
    private String credentialId;
    private AuthorizationProvider authorization;
    private boolean rsaPss;

    private Builder(DsmClient client) {
      this.client = client;
    }

    /** The user whose (first) credential signs, when no credential is named. */
    public Builder userId(String userId) {
      this.userId = Objects.requireNonNull(userId, "userId");
      return this;
    }

    public Builder credentialId(String credentialId) {
      this.credentialId = Objects.requireNonNull(credentialId, "credentialId");
      return this;
    }

    public Builder authorization(AuthorizationProvider authorization) {
      this.authorization = Objects.requireNonNull(authorization, "authorization");
      return this;
    }

    /** Sign with RSASSA-PSS (RSA credentials). */
    public Builder rsaPss(boolean rsaPss) {
      this.rsaPss = rsaPss;
      return this;
    }

    /** Fetches the credential's certificate chain and limits from the service. */
    public RemoteSigner build() {
      if (authorization == null) {
        throw new IllegalStateException("An AuthorizationProvider is required (explicit mode)");
      }
      CredentialInfo info;
      if (credentialId != null) {
        info = client.credentialInfo(credentialId);
      } else if (userId != null) {
        var list = client.listCredentials(userId);
        if (list.credentialInfos() == null || list.credentialInfos().isEmpty()) {
          throw new SigningException("The service shows no credential of user '" + userId
              + "' to this application (is the user enrolled in explicit mode?)");
        }
        info = list.credentialInfos().get(0);
      } else {
        throw new IllegalStateException("Name the userId or the credentialId");
      }
      return new RemoteSigner(this, info);
    }
  }
}
