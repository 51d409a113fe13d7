package org.opendsm;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The key side of signing: holds (or reaches) one private key and its certificate chain, and signs
 * digests. Document formatting never happens here, so a signer can be local ({@link LocalSigner}),
 * a PKCS#11 token, or a remote signing service that only ever sees hashes.
 *
 * <p>Batches are the normal case: {@link #signDigests} receives every digest of one user action at
 * once, so a remote signer asks the user for one authorisation and makes one call.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Signer {
  /** The signing certificate first, then its issuers up to (optionally) the root. */
  List<X509Certificate> certificateChain();

  /** The signing certificate. */
  default X509Certificate certificate() {
    return certificateChain().get(0);
  }

  /** The algorithm this signer uses with the given digest (its key decides the scheme). */
  SignatureAlgorithm signatureAlgorithm(DigestAlgorithm digestAlgorithm);

  /**
   * Signs each digest, in order.
   *
   * @param digestAlgorithm the algorithm that produced every digest
   * @param digests digests of the data to be signed, each exactly {@code digestAlgorithm.length()}
   *     bytes
   * @return one value per digest, in the same order
   * @throws SigningException when the key cannot be used; nothing is partially returned
   */
  List<SignatureValue> signDigests(DigestAlgorithm digestAlgorithm, List<byte[]> digests);
}
