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
 * @param attributes the signed attributes beyond certificate and time: commitment types, claimed
 *     roles, signer location, signature policy and its outcome
 * @param counterSignatureOf for a counter-signature, the id of the signature it counter-signs;
 *     {@code null} otherwise
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
    List<String> certificateChain,
    Attributes attributes,
    String counterSignatureOf) {

  public SignatureReport {
    Objects.requireNonNull(attributes, "attributes");
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
   * Signed attributes as found in the signature.
   *
   * @param commitmentTypes each commitment type: the name of one of the six ETSI types
   *     ({@code PROOF_OF_APPROVAL}...), else its identifier as found
   * @param claimedRoles the roles the signer claims (not certified)
   * @param signerLocation the place the signer claims, its parts joined by ", "; {@code null} if absent
   * @param policy the signature policy and what verification found; {@code null} if none
   * @param contentHints CAdES content-hints: the description and the content type's identifier as
   *     DSS reports them; {@code null} if absent
   * @param custom signed attributes of the application's own: CMS attributes no standard defines
   *     (one per value), and the contents of the signed {@code ds:SignatureProperty} elements of a
   *     XAdES signature
   */
  public record Attributes(List<String> commitmentTypes, List<String> claimedRoles, String signerLocation,
      PolicyReport policy, String contentHints, List<CustomAttribute> custom) {
    public static final Attributes NONE = new Attributes(List.of(), List.of(), null, null, null, List.of());

    public Attributes {
      commitmentTypes = List.copyOf(commitmentTypes);
      claimedRoles = List.copyOf(claimedRoles);
      custom = List.copyOf(custom);
    }

    /** Without custom attributes (the constructor before they existed). */
    public Attributes(List<String> commitmentTypes, List<String> claimedRoles, String signerLocation,
        PolicyReport policy, String contentHints) {
      this(commitmentTypes, claimedRoles, signerLocation, policy, contentHints, List.of());
    }
  }

  /**
   * A signature policy and what verification found.
   *
   * @param id the policy's identifier as the signature names it
   * @param url where the signature says the policy document is (SPURI); {@code null} if not given
   * @param identified whether the policy document was obtained and its digest matches the one signed
   * @param problem why not, as DSS words it; {@code null} when identified
   * @param userNotice the SPUserNotice qualifier's explicit text; {@code null} if not given
   */
  public record PolicyReport(String id, String url, boolean identified, String problem, String userNotice) {
    /** Without a user notice (the constructor before it was reported). */
    public PolicyReport(String id, String url, boolean identified, String problem) {
      this(id, url, identified, problem, null);
    }
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
