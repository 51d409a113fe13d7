package org.opendsm.pades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opendsm.Document;
import org.opendsm.Indication;
import org.opendsm.SignatureReport;
import org.opendsm.SignedDocument;
import org.opendsm.VerificationReport;
import org.opendsm.Verifier;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/**
 * Several signatures on one PDF: approvals one after another, each an incremental update that
 * leaves the earlier ones valid; a certification signature first, with DocMDP permissions that
 * allow approvals (P=2) or forbid them (P=1, refused before anything is written).
 */
class MultipleSignaturesTest {
  private static final TestPki PKI = TestPki.shared();
  private final PadesService pades = PadesService.create(PKI.serviceSettings());
  private final Verifier verifier = Verifier.create(PKI.trustSettings());

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  @Test
  void threeApprovalSignatures_inTurn_allStayValid() throws Exception {
    Document doc = Samples.pdf();
    for (KeyType key : new KeyType[] {KeyType.EC_P256, KeyType.RSA_2048, KeyType.EC_P256}) {
      doc = pades.sign(doc, PadesOptions.builder().reason("approval by " + key).build(),
          PKI.identity(key).signer()).document();
    }

    VerificationReport report = verifier.verify(doc);

    assertThat(report.signatures()).hasSize(3);
    assertThat(report.signatures()).allSatisfy(s -> assertThat(s.indication()).isEqualTo(Indication.TOTAL_PASSED));
    IndependentPdfCheck.assertAccepted(doc.readAllBytes(), 3, dir);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(value = Certification.class, names = {"FORM_FILLING_AND_SIGNING",
      "ANNOTATIONS_FORM_FILLING_AND_SIGNING"})
  void aCertificationThatAllowsSigning_takesApprovals(Certification permission) throws Exception {
    SignedDocument certified = pades.sign(Samples.pdf(), PadesOptions.builder()
        .certification(permission).reason("author").build(),
        PKI.identity(KeyType.EC_P256).signer());
    SignedDocument approved = pades.sign(certified.document(), PadesOptions.builder().reason("approval").build(),
        PKI.identity(KeyType.RSA_2048).signer());

    VerificationReport report = verifier.verify(approved.document());

    assertThat(report.signatures()).hasSize(2);
    assertThat(report.signatures()).extracting(SignatureReport::indication)
        .containsOnly(Indication.TOTAL_PASSED);
    IndependentPdfCheck.assertAccepted(approved.bytes(), 2, dir);
  }

  @Test
  void aCertificationThatAllowsNoChange_refusesAnotherSignature_withAClearError() throws Exception {
    SignedDocument certified = pades.sign(Samples.pdf(), PadesOptions.builder()
        .certification(Certification.NO_CHANGES).build(), PKI.identity(KeyType.EC_P256).signer());

    assertThatThrownBy(() -> pades.sign(certified.document(), PadesOptions.builder().build(),
        PKI.identity(KeyType.RSA_2048).signer()))
        .hasMessageContaining("certified").hasMessageContaining("no change");
    assertThat(verifier.verify(certified.document()).allPassed()).isTrue();
    IndependentPdfCheck.assertAccepted(certified.bytes(), 1, dir);
  }
}
