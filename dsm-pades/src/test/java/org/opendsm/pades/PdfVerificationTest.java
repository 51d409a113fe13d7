package org.opendsm.pades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opendsm.Document;
import org.opendsm.Indication;
import org.opendsm.InvalidDocumentException;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureReport;
import org.opendsm.VerificationReport;
import org.opendsm.Verifier;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

class PdfVerificationTest {
  private static final TestPki PKI = TestPki.shared();
  private final Verifier verifier = Verifier.create(PKI.trustSettings());
  private final PadesService pades = PadesService.create(PKI.serviceSettings());

  @Test
  void verify_signedPdf_reportsSignerTimeFormatAndLevel() {
    Document signed = pades.sign(Samples.pdf(), PadesOptions.builder().level(SignatureLevel.T).build(),
        PKI.identity(KeyType.EC_P256).signer()).document();

    VerificationReport report = verifier.verify(signed);

    SignatureReport s = report.signatures().get(0);
    assertThat(report.allPassed()).isTrue();
    assertThat(s.signer()).isEqualTo("Test Signer ec-p256");
    assertThat(s.format()).isEqualTo(SignatureFormat.PADES);
    assertThat(s.formatName()).isEqualTo("PAdES-BASELINE-T");
    assertThat(s.level()).isEqualTo(SignatureLevel.T);
    assertThat(s.signingTime()).isNotNull();
    assertThat(s.timestamps()).extracting(SignatureReport.TimestampReport::type).contains("SIGNATURE_TIMESTAMP");
    assertThat(report.simpleReportXml()).contains("TOTAL_PASSED");
    assertThat(report.html()).contains("<html").contains("Test Signer ec-p256");
    assertThat(report.toJson()).contains("\"indication\" : \"TOTAL_PASSED\"");
  }

  @Test
  void verify_tamperedPdf_failsWithHashFailure() {
    byte[] signed = pades.sign(Samples.pdf(), PadesOptions.builder().build(),
        PKI.identity(KeyType.EC_P256).signer()).bytes();

    VerificationReport report = verifier.verify(Document.of(PadesInteropTest.tamper(signed), "tampered.pdf"));

    SignatureReport s = report.signatures().get(0);
    assertThat(s.indication()).isEqualTo(Indication.TOTAL_FAILED);
    assertThat(s.subIndication()).isEqualTo("HASH_FAILURE");
    assertThat(s.errors()).isNotEmpty();
    assertThat(report.allPassed()).isFalse();
  }

  @Test
  void verify_unsignedPdf_reportsNoSignature() {
    VerificationReport report = verifier.verify(Samples.pdf());

    assertThat(report.signatures()).isEmpty();
    assertThat(report.allPassed()).isFalse();
  }

  @Test
  void verify_untrustedRoot_isIndeterminate() {
    Document signed = pades.sign(Samples.pdf(), PadesOptions.builder().build(),
        PKI.identity(KeyType.EC_P256).signer()).document();

    VerificationReport report = Verifier.create(org.opendsm.TrustSettings.defaults()).verify(signed);

    assertThat(report.signatures().get(0).indication()).isEqualTo(Indication.INDETERMINATE);
  }

  @Test
  void verify_truncatedPdf_isInvalidDocument() {
    byte[] pdf = Samples.bytes("sample.pdf");
    Document truncated = Document.of(Arrays.copyOf(pdf, pdf.length / 2), "truncated.pdf");

    assertThatThrownBy(() -> verifier.verify(truncated))
        .isInstanceOf(InvalidDocumentException.class)
        .hasMessage("truncated.pdf is a truncated PDF: no %%EOF marker at its end");
  }

  @Test
  void aPdfWithOnlyADocumentTimestamp_reportsThatTimestamp() throws Exception {
    // A document timestamp alone, made with DSS itself (OpenDSM signs before it timestamps).
    var service = new eu.europa.esig.dss.pades.signature.PAdESService(
        new eu.europa.esig.dss.spi.validation.CommonCertificateVerifier());
    service.setTspSource(new org.opendsm.internal.DssTspSource(PKI.timestampSource()));
    var stamped = service.timestamp(new eu.europa.esig.dss.model.InMemoryDocument(Samples.bytes("sample.pdf")),
        new eu.europa.esig.dss.pades.PAdESTimestampParameters());
    Document pdf = Document.of(stamped.openStream().readAllBytes(), "stamped.pdf");

    VerificationReport report = verifier.verify(pdf);

    assertThat(report.signatures()).isEmpty();
    assertThat(report.timestamps()).singleElement().satisfies(t -> {
      assertThat(t.type()).isEqualTo("DOCUMENT_TIMESTAMP");
      assertThat(t.indication()).isEqualTo(Indication.TOTAL_PASSED);
      assertThat(t.productionTime()).isNotNull();
    });
    assertThat(report.toJson()).contains("\"type\" : \"DOCUMENT_TIMESTAMP\"");
  }

  @Test
  void theDocumentTimestampsOfAnLtaSignature_areReportedUnderIt_notTwice() {
    Document lta = pades.sign(Samples.pdf(), PadesOptions.builder().level(SignatureLevel.LTA).build(),
        PKI.identity(KeyType.EC_P256).signer()).document();

    VerificationReport report = verifier.verify(lta);

    assertThat(report.timestamps()).isEmpty();
    assertThat(report.signatures()).singleElement().satisfies(s -> assertThat(s.timestamps())
        .extracting(SignatureReport.TimestampReport::type).contains("SIGNATURE_TIMESTAMP", "DOCUMENT_TIMESTAMP"));
  }
}
