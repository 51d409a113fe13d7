package org.opendsm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.Document;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureReport;
import org.opendsm.VerificationReport;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.Identity;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.SignatureAssertions;
import org.opendsm.testing.TestPki;

/**
 * {@code dsm extend} on signatures other tools made — {@code openssl cms -sign}, poppler's
 * {@code pdfsig -add-signature}, {@code xmlsec1 --sign} — and on LTA documents that need a new
 * archive timestamp. Each result is validated by DSS at the level asked for, and the tool that
 * made the signature still accepts it.
 */
@Tag("interop")
class ExtendCommandTest {
  private static final TestPki PKI = TestPki.shared();
  @TempDir static Path dir;
  private static Path root;
  private static Path issuing;
  private static Path p12;
  private static Path keyPem;
  private static Path certPem;

  @BeforeAll
  static void identity() throws Exception {
    ExternalTools.require("openssl");
    Identity id = PKI.identity(KeyType.EC_P256);
    p12 = id.writePkcs12(dir.resolve("signer.p12"));
    root = PKI.writeRootPem(dir.resolve("root.pem"));
    issuing = pem(dir.resolve("issuing.pem"), PKI.issuingCaCertificate());
    keyPem = dir.resolve("signer.key");
    certPem = pem(dir.resolve("signer.pem"), id.certificate());
    check(ExternalTools.run(dir, "openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:changeit", "-nocerts",
        "-nodes", "-out", keyPem.toString()));
  }

  @Test
  void cmsSignedByOpenssl_extendsToLta_andOpensslStillVerifiesIt() throws Exception {
    Path png = Files.write(dir.resolve("scan.png"), Samples.bytes("sample.png"));
    Path p7s = dir.resolve("scan.png.p7s");
    check(ExternalTools.run(dir, "openssl", "cms", "-sign", "-binary", "-cades", "-md", "sha256", "-signer",
        certPem.toString(), "-inkey", keyPem.toString(), "-certfile", issuing.toString(), "-in", png.toString(),
        "-outform", "DER", "-out", p7s.toString()));
    Path lta = dir.resolve("scan-lta.p7s");
    // Before: OpenDSM reads openssl's signature as a valid CAdES-B.
    SignatureAssertions.assertValid(Document.of(p7s), List.of(Document.of(png)), PKI.trustSettings(),
        SignatureLevel.B);

    DsmCommandTest.Run extend = DsmCommandTest.dsm("extend", "--level", "LTA", "--tsa", PKI.tsaUrl().toString(),
        "--trust", root.toString(), "--detached", png.toString(), p7s.toString(), lta.toString());

    assertThat(extend.exitCode()).as(extend.err()).isZero();
    assertThat(extend.out()).contains("to CADES-LTA");
    SignatureAssertions.assertValid(Document.of(lta), List.of(Document.of(png)), PKI.trustSettings(),
        SignatureLevel.LTA);
    ExternalTools.Result openssl = ExternalTools.run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER",
        "-in", lta.toString(), "-content", png.toString(), "-CAfile", root.toString(), "-certfile", issuing.toString(),
        "-purpose", "any", "-out", "/dev/null");
    assertThat(openssl.output()).contains("Verification successful");
  }

  @Test
  void pdfSignedByPoppler_extendsToLta_andPdfsigStillAcceptsTheSignature() throws Exception {
    ExternalTools.require("pdfsig", "certutil", "pk12util");
    Path nssdb = ExternalTools.nssDatabase(Files.createDirectories(dir.resolve("nss")), root);
    // An RSA key: poppler 22.12 sizes the signature before making it, and an ECDSA value one or
    // two bytes longer than its estimate makes -add-signature fail (about 2 runs in 3).
    Path rsa = PKI.identity(KeyType.RSA_2048).writePkcs12(dir.resolve("signer-rsa.p12"));
    check(ExternalTools.run(dir, "pk12util", "-i", rsa.toString(), "-d", "sql:" + nssdb, "-W", "changeit"));
    Path pdf = Files.write(dir.resolve("contract.pdf"), Samples.bytes("sample.pdf"));
    Path signed = dir.resolve("contract-poppler.pdf");
    check(ExternalTools.run(dir, "pdfsig", "-nssdir", "sql:" + nssdb, "-add-signature", "-nick", "signer",
        pdf.toString(), signed.toString()));
    Path lta = dir.resolve("contract-poppler-lta.pdf");
    // Before: OpenDSM reads poppler's signature, valid.
    VerificationReport before = org.opendsm.Verifier.create(PKI.trustSettings()).verify(Document.of(signed));
    assertThat(before.signatures()).singleElement()
        .satisfies(b -> assertThat(b.indication()).as(b.errors().toString()).isEqualTo(org.opendsm.Indication.TOTAL_PASSED));

    DsmCommandTest.Run extend = DsmCommandTest.dsm("extend", "--level", "LTA", "--tsa", PKI.tsaUrl().toString(),
        "--trust", root.toString(), signed.toString(), lta.toString());

    assertThat(extend.exitCode()).as(extend.err()).isZero();
    // Poppler signs adbe.pkcs7.detached: that sub-filter (fixed in the signed bytes) never becomes
    // PAdES-BASELINE, so DSS names the result PKCS7-LTA: the same validation data and archive
    // timestamp, under the older name.
    VerificationReport report = org.opendsm.Verifier.create(PKI.trustSettings()).verify(Document.of(lta));
    assertThat(report.signatures()).hasSize(1);
    SignatureReport s = report.signatures().get(0);
    assertThat(s.indication()).as(s.errors().toString()).isEqualTo(org.opendsm.Indication.TOTAL_PASSED);
    assertThat(s.formatName()).isEqualTo("PKCS7-LTA");
    ExternalTools.Result pdfsig = ExternalTools.run(dir, "pdfsig", "-nssdir", "sql:" + nssdb, lta.toString());
    assertThat(pdfsig.output()).contains("Signature is Valid.").doesNotContain("Digest Mismatch");
  }

  @Test
  void xmlSignedByXmlsec_extendsToLta_andXmlsecStillVerifiesIt() throws Exception {
    ExternalTools.require("xmlsec1");
    Path template = Files.writeString(dir.resolve("invoice-template.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <invoice xmlns="urn:example:invoice"><number>2026-118</number><total currency="EUR">1250.00</total>\
        <Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>\
        <CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>\
        <SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>\
        <Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>\
        <Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms>\
        <DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference></SignedInfo>\
        <SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature></invoice>
        """);
    Path signed = dir.resolve("invoice-xmlsec.xml");
    check(ExternalTools.run(dir, "xmlsec1", "--sign", "--privkey-pem", keyPem + "," + certPem + "," + issuing,
        "--output", signed.toString(), template.toString()));
    Path lta = dir.resolve("invoice-xmlsec-lta.xml");
    // Before: OpenDSM reads xmlsec1's signature; its findings are the signed signing time a plain
    // XML-DSig does not have, and no proof of existence yet (what extension adds).
    SignatureReport before = org.opendsm.Verifier.create(PKI.trustSettings()).verify(Document.of(signed))
        .signatures().get(0);
    assertThat(before.errors()).isNotEmpty().allMatch(e -> e.contains("'signing-time' is not present")
        || e.contains("No long term availability"));

    DsmCommandTest.Run extend = DsmCommandTest.dsm("extend", "--level", "LTA", "--tsa", PKI.tsaUrl().toString(),
        "--trust", root.toString(), signed.toString(), lta.toString());

    assertThat(extend.exitCode()).as(extend.err()).isZero();
    // xmlsec1 signs plain XML-DSig: no XAdES signed properties, so no signed signing time, which
    // DSS's default policy requires of an AdES and which nothing can add after signing. That is the
    // only finding: the signature, its timestamp and its archive timestamp all pass.
    VerificationReport report = org.opendsm.Verifier.create(PKI.trustSettings()).verify(Document.of(lta));
    assertThat(report.signatures()).hasSize(1);
    SignatureReport s = report.signatures().get(0);
    assertThat(s.indication()).isEqualTo(org.opendsm.Indication.INDETERMINATE);
    assertThat(s.subIndication()).isEqualTo("SIG_CONSTRAINTS_FAILURE");
    assertThat(s.errors()).allMatch(e -> e.contains("'signing-time' is not present")
        || e.contains("past signature validation is not conclusive"));
    assertThat(s.timestamps()).extracting(t -> t.type()).contains("SIGNATURE_TIMESTAMP", "ARCHIVE_TIMESTAMP");
    assertThat(s.timestamps()).allMatch(t -> t.indication() == org.opendsm.Indication.TOTAL_PASSED);
    ExternalTools.Result xmlsec = ExternalTools.run(dir, "xmlsec1", "--verify", "--trusted-pem", root.toString(),
        "--untrusted-pem", issuing.toString(), lta.toString());
    assertThat(xmlsec.output()).contains("OK");
    assertThat(xmlsec.exitCode()).isZero();
  }

  @Test
  void anLtaDocument_extendedToLtaAgain_getsANewArchiveTimestamp() throws Exception {
    Path png = Files.write(dir.resolve("again.png"), Samples.bytes("sample.png"));
    Path lta = dir.resolve("again-lta.p7m");
    DsmCommandTest.Run sign = DsmCommandTest.dsm("sign", "--level", "LTA", "--tsa", PKI.tsaUrl().toString(),
        "--trust", root.toString(), "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS",
        png.toString(), lta.toString());
    assertThat(sign.exitCode()).as(sign.err()).isZero();
    Path again = dir.resolve("again-lta2.p7m");

    DsmCommandTest.Run extend = DsmCommandTest.dsm("extend", "--level", "LTA", "--tsa", PKI.tsaUrl().toString(),
        "--trust", root.toString(), lta.toString(), again.toString());

    assertThat(extend.exitCode()).as(extend.err()).isZero();
    assertThat(archiveTimestamps(lta)).isEqualTo(1);
    assertThat(archiveTimestamps(again)).isEqualTo(2);
  }

  /**
   * Our own signature in each format, raised one level at a time — B, T, LT, LTA, then LTA again —
   * each step validated by DSS at that level with every timestamp passing; the last also by the
   * format's independent verifier.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"sample.pdf", "sample.xml", "sample.png"})
  void ourSignature_isExtendedStepByStep_toLta_andTimestampedAgain(String sample) throws Exception {
    Path in = Files.write(dir.resolve("chain-" + sample), Samples.bytes(sample));
    String ext = sample.endsWith(".png") ? ".p7m" : sample.substring(sample.lastIndexOf('.'));
    Path previous = dir.resolve("chain-" + sample + "-B" + ext);
    DsmCommandTest.Run sign = DsmCommandTest.dsm("sign", "--keystore", p12.toString(), "--storepass-env",
        "DSM_TEST_STOREPASS", in.toString(), previous.toString());
    assertThat(sign.exitCode()).as(sign.err()).isZero();
    long lastTimestamps = 0;
    int step = 0;
    for (SignatureLevel level : List.of(SignatureLevel.T, SignatureLevel.LT, SignatureLevel.LTA, SignatureLevel.LTA)) {
      Path next = dir.resolve("chain-" + sample + "-" + (++step) + level + ext);
      DsmCommandTest.Run extend = DsmCommandTest.dsm("extend", "--level", level.name(), "--tsa",
          PKI.tsaUrl().toString(), "--trust", root.toString(), previous.toString(), next.toString());
      assertThat(extend.exitCode()).as(level + ": " + extend.err()).isZero();

      SignatureReport s = SignatureAssertions.assertValid(Document.of(next), List.of(), PKI.trustSettings(), level)
          .signatures().get(0);
      assertThat(s.level()).as(sample + " after extension to " + level).isEqualTo(level);
      assertThat(s.timestamps()).as(sample + " at " + level).isNotEmpty()
          .allMatch(t -> t.indication() == org.opendsm.Indication.TOTAL_PASSED);
      assertThat((long) s.timestamps().size()).as("each step adds, none is lost").isGreaterThanOrEqualTo(lastTimestamps);
      if (step == 4) {
        assertThat((long) s.timestamps().size()).as("LTA again: one more archive timestamp").isEqualTo(lastTimestamps + 1);
        assertThat(s.timestamps()).extracting(SignatureReport.TimestampReport::type)
            .contains(sample.endsWith(".pdf") ? "DOCUMENT_TIMESTAMP" : "ARCHIVE_TIMESTAMP");
      }
      lastTimestamps = s.timestamps().size();
      previous = next;
    }

    ExternalTools.Result independent = switch (ext) {
      case ".pdf" -> ExternalTools.run(dir, "pdfsig", "-nocert", previous.toString());
      case ".xml" -> ExternalTools.run(dir, "xmlsec1", "--verify", "--trusted-pem", root.toString(), "--untrusted-pem",
          issuing.toString(), "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", previous.toString());
      default -> ExternalTools.run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in",
          previous.toString(), "-CAfile", root.toString(), "-purpose", "any", "-out", "/dev/null");
    };
    assertThat(independent.output()).as(independent.output())
        .containsAnyOf("Signature is Valid.", "OK", "Verification successful");
    assertThat(independent.output()).doesNotContain("Signature is Invalid", "FAIL");
  }

  @Test
  void extendToB_orAnUnsignedFile_isRefusedClearly() throws Exception {
    Path png = Files.write(dir.resolve("plain.png"), Samples.bytes("sample.png"));

    DsmCommandTest.Run toB = DsmCommandTest.dsm("extend", "--level", "B", "--tsa", PKI.tsaUrl().toString(),
        png.toString(), dir.resolve("never.p7m").toString());
    DsmCommandTest.Run unsigned = DsmCommandTest.dsm("extend", "--level", "T", "--tsa", PKI.tsaUrl().toString(),
        png.toString(), dir.resolve("never.p7m").toString());

    assertThat(toB.exitCode()).as(toB.err()).isEqualTo(2);
    assertThat(toB.err()).contains("--level must be T, LT or LTA");
    assertThat(unsigned.exitCode()).as(unsigned.err()).isEqualTo(2);
    assertThat(unsigned.err()).contains("plain.png");
    assertThat(dir.resolve("never.p7m")).doesNotExist();
  }

  private static long archiveTimestamps(Path signed) {
    VerificationReport report = SignatureAssertions.assertValid(Document.of(signed), List.of(), PKI.trustSettings(),
        SignatureLevel.LTA);
    SignatureReport s = report.signatures().get(0);
    return s.timestamps().stream().filter(t -> t.type().contains("ARCHIVE")).count();
  }

  private static Path pem(Path file, X509Certificate cert) throws Exception {
    return Files.writeString(file, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
  }

  private static void check(ExternalTools.Result r) {
    if (!r.ok()) {
      throw new AssertionError(r.output());
    }
  }
}
