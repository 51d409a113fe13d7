package org.opendsm;

import java.util.List;
import org.opendsm.internal.DefaultVerifier;

/**
 * Validates AdES signatures in any format whose module is on the class path (dsm-pades,
 * dsm-cades, dsm-xades), with DSS's default ETSI validation policy.
 *
 * <pre>{@code
 * Verifier verifier = Verifier.create(TrustSettings.builder().addTrustAnchors(root).build());
 * VerificationReport report = verifier.verify(Document.of(Path.of("signed.pdf")));
 * report.signatures().forEach(s -> System.out.println(s.signer() + ": " + s.indication()));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface Verifier {
  static Verifier create(TrustSettings trust) {
    return new DefaultVerifier(trust);
  }

  /**
   * @throws InvalidDocumentException if the input is malformed (truncated PDF, invalid XML,
   *     random bytes, empty file)
   */
  VerificationReport verify(Document signed);

  /** For detached signatures: {@code contents} are the signed files. */
  VerificationReport verify(Document signed, List<Document> contents);

  /**
   * A verifier that opens PDFs encrypted with an open (user) password with {@code password}.
   * The password is kept only as long as the returned verifier, never logged or reported.
   */
  Verifier withDocumentPassword(Secret password);
}
