package org.opendsm;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.opendsm.internal.ReportJson;

/**
 * The result of {@link Verifier#verify}: one {@link SignatureReport} per signature, plus DSS's
 * full reports on request (simple, detailed, diagnostic data and the ETSI validation report as
 * XML; the simple and detailed reports as HTML).
 *
 * <p>A document without signatures gives a report with no signatures, not an exception.
 */
public final class VerificationReport {
  /** DSS's report renderings, produced lazily. */
  public interface Renderings {
    String simpleXml();

    String detailedXml();

    String diagnosticXml();

    String etsiXml();

    String html();
  }

  private final String documentName;
  private final List<SignatureReport> signatures;
  private final List<SignatureReport.TimestampReport> timestamps;
  private final Renderings renderings;

  public VerificationReport(String documentName, List<SignatureReport> signatures, Renderings renderings) {
    this(documentName, signatures, List.of(), renderings);
  }

  public VerificationReport(String documentName, List<SignatureReport> signatures,
      List<SignatureReport.TimestampReport> timestamps, Renderings renderings) {
    this.documentName = Objects.requireNonNull(documentName, "documentName");
    this.signatures = List.copyOf(signatures);
    this.timestamps = List.copyOf(timestamps);
    this.renderings = renderings;
  }

  public String documentName() {
    return documentName;
  }

  public List<SignatureReport> signatures() {
    return signatures;
  }

  /**
   * Timestamps that stand on their own: a document timestamp over a PDF with no signature under it,
   * say. Those that cover a signature are in that signature's {@link SignatureReport#timestamps()}.
   */
  public List<SignatureReport.TimestampReport> timestamps() {
    return timestamps;
  }

  /** True only if there is at least one signature and every one is TOTAL_PASSED. */
  public boolean allPassed() {
    return !signatures.isEmpty() && signatures.stream().allMatch(SignatureReport::passed);
  }

  public String simpleReportXml() {
    return render(() -> renderings.simpleXml());
  }

  public String detailedReportXml() {
    return render(() -> renderings.detailedXml());
  }

  public String diagnosticDataXml() {
    return render(() -> renderings.diagnosticXml());
  }

  /** The ETSI TS 119 102-2 validation report. */
  public String etsiValidationReportXml() {
    return render(() -> renderings.etsiXml());
  }

  /** A standalone HTML page with the simple and detailed reports (or saying there is none). */
  public String html() {
    if (renderings == null) {
      return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>OpenDSM validation report</title>"
          + "</head><body><p>No signature found.</p></body></html>\n";
    }
    return renderings.html();
  }

  /** The per-signature summary as JSON ({@code {document, signatures:[...]}}). */
  public String toJson() {
    return ReportJson.write(this);
  }

  private String render(Supplier<String> s) {
    if (renderings == null) {
      throw new IllegalStateException("No DSS reports: the document has no signature");
    }
    return s.get();
  }

  @Override
  public String toString() {
    return "VerificationReport[" + documentName + ", " + signatures.size() + " signature(s)]";
  }
}
