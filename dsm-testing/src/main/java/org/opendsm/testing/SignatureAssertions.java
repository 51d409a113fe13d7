package org.opendsm.testing;

import java.util.List;
import java.util.stream.Collectors;
import org.opendsm.Document;
import org.opendsm.Indication;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureReport;
import org.opendsm.TrustSettings;
import org.opendsm.VerificationReport;
import org.opendsm.Verifier;

/** Assertions on signatures, built on DSS validation through {@link Verifier}. */
public final class SignatureAssertions {
  private SignatureAssertions() {}

  /**
   * Asserts that {@code signed} holds at least one signature, that every signature is
   * TOTAL_PASSED under {@code trust}, and that each reaches {@code level}.
   *
   * @return the report, for further checks
   */
  public static VerificationReport assertValid(
      Document signed, List<Document> detached, TrustSettings trust, SignatureLevel level) {
    VerificationReport report = Verifier.create(trust).verify(signed, detached);
    if (report.signatures().isEmpty()) {
      throw new AssertionError("No signature found in " + signed.name());
    }
    for (SignatureReport s : report.signatures()) {
      if (s.indication() != Indication.TOTAL_PASSED) {
        throw new AssertionError("Signature " + s.id() + " in " + signed.name() + " is "
            + s.indication() + "/" + s.subIndication() + ": " + s.errors());
      }
      if (s.level() == null || !s.level().isAtLeast(level)) {
        throw new AssertionError("Signature " + s.id() + " in " + signed.name() + " reached "
            + s.formatName() + ", expected at least " + level + "; warnings: " + s.warnings());
      }
    }
    return report;
  }

  public static VerificationReport assertValid(Document signed, TrustSettings trust, SignatureLevel level) {
    return assertValid(signed, List.of(), trust, level);
  }

  /** Asserts that verification finds the signatures broken (TOTAL_FAILED). */
  public static VerificationReport assertFailed(Document signed, List<Document> detached, TrustSettings trust) {
    VerificationReport report = Verifier.create(trust).verify(signed, detached);
    if (report.signatures().isEmpty()
        || report.signatures().stream().noneMatch(s -> s.indication() == Indication.TOTAL_FAILED)) {
      throw new AssertionError("Expected a failed signature in " + signed.name() + ", got "
          + report.signatures().stream().map(s -> s.indication() + "/" + s.subIndication())
              .collect(Collectors.joining(", ")));
    }
    return report;
  }
}
