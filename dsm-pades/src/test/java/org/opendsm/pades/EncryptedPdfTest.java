package org.opendsm.pades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.PreparedSignature;
import org.opendsm.Secret;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureValue;
import org.opendsm.SignedDocument;
import org.opendsm.Verifier;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.Identity;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/**
 * Encrypted PDFs (AES-256): one protected by an owner password alone signs as it is; one that needs
 * a password to open is refused plainly without it and signed with it, in one step or two, and
 * stays encrypted with the same password.
 */
class EncryptedPdfTest {
  private static final TestPki PKI = TestPki.shared();
  private final PadesService pades = PadesService.create(PKI.serviceSettings());
  @TempDir Path dir;

  static byte[] encrypted(String owner, String user) throws Exception {
    try (PDDocument doc = Loader.loadPDF(Samples.bytes("sample.pdf"))) {
      StandardProtectionPolicy policy = new StandardProtectionPolicy(owner, user, new AccessPermission());
      policy.setEncryptionKeyLength(256);
      doc.protect(policy);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    }
  }

  @Test
  void anOwnerPasswordAlone_needsNoPassword_andTheSignatureValidates() throws Exception {
    SignedDocument signed = pades.sign(Document.of(encrypted("owner-secret", ""), "permissions.pdf"),
        PadesOptions.builder().build(), PKI.identity(KeyType.EC_P256).signer());

    assertThat(Verifier.create(PKI.trustSettings()).verify(signed.document()).allPassed()).isTrue();
  }

  @Test
  void anOpenPassword_isNeeded_andWithItTheDocumentIsSigned_andStaysEncrypted() throws Exception {
    Document pdf = Document.of(encrypted("owner-secret", "open-sesame"), "locked.pdf");
    Identity id = PKI.identity(KeyType.EC_P256);

    assertThatThrownBy(() -> pades.sign(pdf, PadesOptions.builder().build(), id.signer()))
        .isInstanceOf(InvalidDocumentException.class)
        .hasMessage("locked.pdf is encrypted and needs its password: give it with PadesService.withDocumentPassword(...) (dsm: --pdf-password-env)");
    assertThatThrownBy(() -> pades.withDocumentPassword(Secret.of("wrong")).sign(pdf, PadesOptions.builder().build(),
        id.signer())).isInstanceOf(InvalidDocumentException.class).hasMessageContaining("password given does not open");

    PadesService withPassword = pades.withDocumentPassword(Secret.of("open-sesame"));
    PreparedSignature prepared = withPassword.prepare(pdf, PadesOptions.builder().reason("locked").build(), id.chain());
    PreparedSignature restored = PreparedSignature.fromJson(prepared.toJson());
    SignatureValue value = id.signer().signDigests(restored.digestAlgorithm(), List.of(restored.digest())).get(0);
    SignedDocument signed = withPassword.complete(pdf, restored, value);

    assertThat(prepared.toJson()).doesNotContain("open-sesame");
    try (PDDocument reopened = Loader.loadPDF(signed.bytes(), "open-sesame")) {
      assertThat(reopened.isEncrypted()).isTrue();
      assertThat(reopened.getSignatureDictionaries()).hasSize(1);
    }
    assertThatThrownBy(() -> Loader.loadPDF(signed.bytes()).close()).as("still needs the password")
        .isInstanceOf(java.io.IOException.class);
    // The independent check: poppler opens it with the password and validates the signature.
    ExternalTools.require("pdfsig");
    Path file = dir.resolve("locked-signed.pdf");
    Files.write(file, signed.bytes());
    ExternalTools.Result pdfsig = ExternalTools.run(dir, "pdfsig", "-nocert", "-upw", "open-sesame", file.toString());
    assertThat(pdfsig.output()).as(pdfsig.output()).contains("Signature Validation: Signature is Valid.");

    // Verification opens it with the password too; without it, it says what is missing.
    assertValid(signed.document(), List.of(), PKI.trustSettings(), SignatureLevel.B,
        org.opendsm.Verifier.create(PKI.trustSettings()).withDocumentPassword(Secret.of("open-sesame")));
    assertThatThrownBy(() -> org.opendsm.Verifier.create(PKI.trustSettings()).verify(signed.document()))
        .isInstanceOf(InvalidDocumentException.class)
        .hasMessage("locked.pdf is encrypted and its open password is missing: verify with"
            + " Verifier.withDocumentPassword(...)");
    assertThatThrownBy(() -> org.opendsm.Verifier.create(PKI.trustSettings())
        .withDocumentPassword(Secret.of("wrong")).verify(signed.document()))
        .isInstanceOf(InvalidDocumentException.class).hasMessageContaining("open password is wrong");
  }

  private static void assertValid(Document signed, List<Document> contents, org.opendsm.TrustSettings trust,
      SignatureLevel level, org.opendsm.Verifier verifier) {
    var report = verifier.verify(signed, contents);
    assertThat(report.signatures()).hasSize(1);
    assertThat(report.signatures().get(0).indication()).as(report.signatures().get(0).errors().toString())
        .isEqualTo(org.opendsm.Indication.TOTAL_PASSED);
  }

  @Test
  void anEncryptedSignedPdf_isExtendedToLta_withItsPassword() throws Exception {
    PadesService withPassword = pades.withDocumentPassword(Secret.of("open-sesame"));
    SignedDocument signed = withPassword.sign(Document.of(encrypted("owner-secret", "open-sesame"), "locked.pdf"),
        PadesOptions.builder().build(), PKI.identity(KeyType.EC_P256).signer());

    assertThatThrownBy(() -> pades.extend(signed.document(), org.opendsm.SignatureLevel.LTA))
        .isInstanceOf(InvalidDocumentException.class).hasMessageContaining("is encrypted and needs its password");
    SignedDocument lta = withPassword.extend(signed.document(), org.opendsm.SignatureLevel.LTA);

    assertThat(Verifier.create(PKI.trustSettings()).withDocumentPassword(Secret.of("open-sesame"))
        .verify(lta.document()).signatures()).singleElement()
        .satisfies(r -> assertThat(r.level()).isEqualTo(org.opendsm.SignatureLevel.LTA))
        .satisfies(r -> assertThat(r.indication()).isEqualTo(org.opendsm.Indication.TOTAL_PASSED));
  }
}
