package org.opendsm.pades;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opendsm.SignatureLevel;
import org.opendsm.SignedDocument;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.ExternalTools.Result;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/** Our PAdES, checked by verifiers nobody in this project wrote: poppler pdfsig and openssl. */
@Tag("interop")
class PadesInteropTest {
  private static final TestPki PKI = TestPki.shared();
  private static final PadesService PADES = PadesService.create(PKI.serviceSettings());

  @TempDir static Path dir;
  private static Path root;
  private static Path nssdb;

  @BeforeAll
  static void tools() {
    ExternalTools.require("pdfsig", "openssl", "certutil", "xxd");
    root = PKI.writeRootPem(dir.resolve("root.pem"));
    nssdb = ExternalTools.nssDatabase(dir, root);
  }

  static List<Arguments> matrix() {
    List<Arguments> out = new ArrayList<>();
    for (SignatureLevel level : SignatureLevel.values()) {
      for (KeyType key : List.of(KeyType.RSA_2048, KeyType.RSA_PSS_2048, KeyType.EC_P256)) {
        out.add(Arguments.of(level, key));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "PAdES-{0} {1}")
  @MethodSource("matrix")
  void signed_isAcceptedByPdfsigAndOpenssl_andTamperedIsRejected(SignatureLevel level, KeyType key)
      throws IOException {
    SignedDocument signed = PADES.sign(Samples.pdf(), PadesOptions.builder().level(level).build(),
        PKI.identity(key).signer());
    Path pdf = dir.resolve("pades-" + level + "-" + key.label() + ".pdf");
    signed.writeTo(pdf);

    assertPdfsigAccepts(pdf);
    Path keep = Files.createDirectories(dir.resolve("cms-" + level + "-" + key.label()));
    Result openssl = ExternalTools.run(dir, ExternalTools.script("pades-openssl-verify.sh", dir).toString(),
        pdf.toString(), root.toString(), keep.toString());
    assertThat(openssl.exitCode()).as(openssl.output()).isZero();
    assertThat(openssl.output()).contains("#1 signature").contains("CMS Verification successful");
    if (level.needsTimestamp()) {
      Result tst = ExternalTools.run(dir, ExternalTools.script("cms-tst-verify.sh", dir).toString(),
          keep.resolve("sig1.der").toString(), root.toString());
      assertThat(tst.output()).as(tst.output()).contains("Verification: OK");
    }
    if (level == SignatureLevel.LTA) {
      assertThat(openssl.output()).contains("doc-timestamp").contains("covers whole file: Verification: OK");
    }

    Path tampered = dir.resolve("tampered-" + pdf.getFileName());
    Files.write(tampered, tamper(Files.readAllBytes(pdf)));
    assertPdfsigRejects(tampered);
    Result rejected = ExternalTools.run(dir, dir.resolve("pades-openssl-verify.sh").toString(),
        tampered.toString(), root.toString());
    assertThat(rejected.exitCode()).as(rejected.output()).isEqualTo(1);
  }

  @org.junit.jupiter.api.Test
  void aVisibleSignature_isAcceptedByPdfsigAndOpenssl() throws IOException {
    PadesOptions options = PadesOptions.builder().reason("Interop").visibleSignature(VisibleSignature.onPage(-1)
        .at(50, 50, 220, 70).image(Samples.bytes("sample.png")).build()).build();
    Path pdf = dir.resolve("pades-visible.pdf");
    PADES.sign(Samples.pdf(), options, PKI.identity(KeyType.EC_P256).signer()).writeTo(pdf);

    assertPdfsigAccepts(pdf);
    Result openssl = ExternalTools.run(dir, ExternalTools.script("pades-openssl-verify.sh", dir).toString(),
        pdf.toString(), root.toString());
    assertThat(openssl.exitCode()).as(openssl.output()).isZero();
    assertThat(openssl.output()).contains("CMS Verification successful");
  }

  @org.junit.jupiter.api.Test
  void aCertificationAndAnApproval_areBothAcceptedByPdfsigAndOpenssl() throws IOException {
    Path pdf = dir.resolve("pades-certified-approved.pdf");
    var certified = PADES.sign(Samples.pdf(), PadesOptions.builder().certification(Certification.FORM_FILLING_AND_SIGNING)
        .build(), PKI.identity(KeyType.EC_P256).signer());
    PADES.sign(certified.document(), PadesOptions.builder().build(), PKI.identity(KeyType.RSA_2048).signer())
        .writeTo(pdf);

    // Both signatures valid. poppler 22.12 checks the second signer's certificate after an OCSP
    // answer it already holds, so no round trip clears the error NSS left behind (see
    // assertPdfsigAccepts) and it prints "Unknown issue" for any second certificate, ours or not:
    // the chain of both is checked by openssl below instead.
    Result pdfsig = ExternalTools.run(dir, "pdfsig", "-nssdir", "sql:" + nssdb, pdf.toString());
    List<String> blocks = signatureBlocks(pdfsig.output());
    assertThat(blocks).as(pdfsig.output()).hasSize(2);
    assertThat(blocks).allSatisfy(b -> assertThat(b).contains("Signature Validation: Signature is Valid."));
    assertThat(blocks.get(0)).contains("Certificate Validation: Certificate is Trusted.");
    Result openssl = ExternalTools.run(dir, ExternalTools.script("pades-openssl-verify.sh", dir).toString(),
        pdf.toString(), root.toString());
    assertThat(openssl.exitCode()).as(openssl.output()).isZero();
    assertThat(openssl.output()).contains("#1 signature").contains("#2 signature");
  }

  /**
   * With OCSP on (the test PKI's responder is live): poppler 22.12 ignores the return value of
   * NSS's chain check and reports whatever error NSS left behind; with {@code -no-ocsp} that is a
   * harmless "extension not found", printed as "Unknown issue with Certificate". A real OCSP round
   * trip clears it, and checks revocation for real.
   */
  private static void assertPdfsigAccepts(Path pdf) {
    Result r = ExternalTools.run(dir, "pdfsig", "-nssdir", "sql:" + nssdb, pdf.toString());
    List<String> signatures = signatureBlocks(r.output());
    assertThat(signatures).as(r.output()).isNotEmpty();
    for (String block : signatures) {
      if (block.contains("Signature Type: ETSI.CAdES.detached")) {
        assertThat(block).as(r.output()).contains("Signature Validation: Signature is Valid.")
            .contains("Certificate Validation: Certificate is Trusted.");
      } else {
        // pdfsig cannot check ETSI.RFC3161 document timestamps; openssl does, below.
        assertThat(block).as(r.output()).contains("Signature Type: unknown");
      }
    }
  }

  private static void assertPdfsigRejects(Path pdf) {
    Result r = ExternalTools.run(dir, "pdfsig", "-nssdir", "sql:" + nssdb, "-no-ocsp", pdf.toString());
    assertThat(r.output()).as(r.output()).contains("Digest Mismatch").doesNotContain("Signature is Valid.");
  }

  private static List<String> signatureBlocks(String output) {
    List<String> out = new ArrayList<>();
    String[] parts = output.split("(?m)^Signature #");
    for (int i = 1; i < parts.length; i++) {
      out.add(parts[i]);
    }
    return out;
  }

  /** Changes the document title, which lies inside the signed byte range. */
  static byte[] tamper(byte[] pdf) {
    String text = new String(pdf, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("OpenDSM sample");
    assertThat(at).as("sample title present").isPositive();
    byte[] copy = pdf.clone();
    copy[at + "OpenDSM s".length()] = 'i';
    return copy;
  }
}
