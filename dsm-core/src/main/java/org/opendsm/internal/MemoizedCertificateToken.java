package org.opendsm.internal;

import eu.europa.esig.dss.enumerations.SignatureValidity;
import eu.europa.esig.dss.model.x509.CertificateToken;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A certificate token that remembers the outcome of each signature check. DSS memoises a token's
 * check only for a certificate that is not self-signed, so a root in the chain is verified again
 * in every validation context, which DSS builds for each signature: with an EC P-384 root that
 * costs milliseconds per document. Shared through {@link Dss#token}.
 */
final class MemoizedCertificateToken extends CertificateToken {
  private static final long serialVersionUID = 1L;
  /** A certificate is checked against its issuer's key, and rarely a few others. */
  private static final int MAX_KEYS = 8;
  private final transient Map<PublicKey, SignatureValidity> checked = new ConcurrentHashMap<>(4);

  MemoizedCertificateToken(X509Certificate certificate) {
    super(certificate);
  }

  @Override
  protected SignatureValidity checkIsSignedBy(PublicKey publicKey) {
    SignatureValidity known = checked.get(publicKey);
    if (known != null) {
      return known;
    }
    SignatureValidity validity = super.checkIsSignedBy(publicKey);
    if (checked.size() < MAX_KEYS) {
      checked.put(publicKey, validity);
    }
    return validity;
  }
}
