package org.opendsm;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What validation says about one signature.
 *
 * @param id DSS's identifier for the signature within the document
 * @param signer the signer's name as certified (common name when present)
 * @param signingTime the time the signer claims (not proven); {@code null} if absent
 * @param bestSignatureTime the earliest time the signature is proven to exist (timestamp, or
 *     validation time)
 * @param format the AdES family, or {@code null} for a plain PKCS#7/XML-DSig signature
 * @param formatName DSS's name for the form found, e.g. {@code PAdES-BASELINE-LTA}
 * @param level the baseline level reached, or {@code null} if not a baseline signature
 * @param indication the overall result
 * @param subIndication why, when not TOTAL_PASSED (e.g. {@code HASH_FAILURE}); {@code null}
 *     otherwise
 * @param errors the failed checks, as DSS words them
 * @param warnings checks that passed with a remark
 * @param timestamps the timestamps protecting this signature
 * @param certificateChain the signing certificate's chain as validation built it, signer first
 *     (readable names)
 */
public record SignatureReport(
    String id,
    String signer,
    Instant signingTime,
    Instant bestSignatureTime,
    SignatureFormat format,
    String formatName,
    SignatureLevel level,
    Indication indication,
    String subIndication,
    List<String> errors,
    List<String> warnings,
    List<TimestampReport> timestamps,
    List<String> certificateChain) {

  public SignatureReport {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(indication, "indication");
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
    timestamps = List.copyOf(timestamps);
    certificateChain = List.copyOf(certificateChain);
  }

  public boolean passed() {
    return indication == Indication.TOTAL_PASSED;
  }

  /**
   * One timestamp.
   *
   * @param id DSS's identifier
   * @param type e.g. {@code SIGNATURE_TIMESTAMP}, {@code DOCUMENT_TIMESTAMP},
   *     {@code ARCHIVE_TIMESTAMP}
   * @param productionTime the time the TSA certifies
   * @param producedBy the TSA's name
   * @param indication the timestamp's own validation result
   */
  public record TimestampReport(
      String id, String type, Instant productionTime, String producedBy, Indication indication) {}
}
