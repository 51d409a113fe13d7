package org.opendsm;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Creates, completes and extends AdES signatures of one format. Implemented by
 * {@code PadesService}, {@code CadesService} and {@code XadesService}.
 *
 * <p>Two ways to sign:
 * <ul>
 *   <li>in one call, when the key is at hand: {@link #sign} or {@link #signAll} with a
 *       {@link Signer} (batches make one {@link Signer#signDigests} call);</li>
 *   <li>in two phases, when the key is elsewhere (a remote service behind a user login):
 *       {@link #prepare}, send {@link PreparedSignature#digest()}, then {@link #complete}.</li>
 * </ul>
 *
 * <p>Only digests reach the signer; the document stays here. Implementations are immutable and
 * thread-safe.
 *
 * @param <O> the format's options
 */
public interface SignatureService<O extends SignatureOptions> {
  SignatureFormat format();

  /**
   * Phase one: freezes signing time and parameters and computes the digest to sign. The signature
   * scheme follows the key (RSA keys sign with PKCS#1 v1.5, EC keys with ECDSA).
   *
   * @throws InvalidDocumentException if the document cannot be signed in this format
   */
  PreparedSignature prepare(Document document, O options, List<X509Certificate> certificateChain);

  /** Phase one with an explicit scheme, e.g. {@link SignatureAlgorithm.Scheme#RSA_PSS}. */
  PreparedSignature prepare(
      Document document,
      O options,
      List<X509Certificate> certificateChain,
      SignatureAlgorithm.Scheme scheme);

  /**
   * Phase two: checks that {@code value} verifies against the certificate over exactly the
   * prepared data, then builds the signed document (adding timestamps and validation data for T,
   * LT and LTA).
   *
   * @param document the same content that was prepared (checked by SHA-256)
   * @throws InvalidSignatureValueException if the value does not verify; nothing is produced
   * @throws InvalidDocumentException if {@code document} is not the prepared one
   */
  SignedDocument complete(Document document, PreparedSignature prepared, SignatureValue value);

  /** Signs one document with a local or remote signer. */
  SignedDocument sign(Document document, O options, Signer signer);

  /**
   * Signs several documents with one {@link Signer#signDigests} call (one user authorisation for
   * a remote signer). Results are in input order; if any fails, none is returned.
   */
  List<SignedDocument> signAll(List<Document> documents, O options, Signer signer);

  /**
   * Raises an existing signature (ours or another tool's) to {@code level}: adds the signature
   * timestamp (T), validation data (LT) and an archive timestamp (LTA). Extending an LTA document
   * to LTA again adds a fresh archive timestamp.
   *
   * @param detachedContents the signed content of a detached signature, otherwise empty
   * @throws ExtensionException if the level cannot be reached
   */
  SignedDocument extend(Document signed, SignatureLevel level, List<Document> detachedContents);

  /** {@link #extend(Document, SignatureLevel, List)} for signatures that embed their content. */
  default SignedDocument extend(Document signed, SignatureLevel level) {
    return extend(signed, level, List.of());
  }
}
