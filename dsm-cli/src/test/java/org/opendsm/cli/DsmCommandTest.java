package org.opendsm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.Identity;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/** The {@code dsm} command as a user runs it, including exit codes and messages. */
class DsmCommandTest {
  /** A real-world PDF from a Debian package; .ci/run installs libtasn1-doc. */
  private static final List<Path> DEBIAN_PDFS = List.of(
      Path.of("/usr/share/doc/libtasn1-doc/libtasn1.pdf"),
      Path.of("/usr/share/doc/valgrind/valgrind_manual.pdf.gz"),
      Path.of("/usr/share/doc/bzip2/manual.pdf.gz"));

  private static final TestPki PKI = TestPki.shared();
  @TempDir static Path dir;
  private static Path p12;
  private static Path root;

  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void keys() {
    Identity id = PKI.identity(KeyType.EC_P256);
    p12 = id.writePkcs12(dir.resolve("signer.p12"));
    root = PKI.writeRootPem(dir.resolve("root.pem"));
  }

  static Run dsm(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = DsmCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  @Tag("interop")
  void signRealWorldPdfAtLta_isAcceptedByVerifyAndPdfsig() throws IOException {
    Path pdf = debianPdf();
    Path signed = dir.resolve("debian-lta.pdf");

    Run sign = dsm("sign", "--level", "LTA", "--tsa", PKI.tsaUrl().toString(), "--trust", root.toString(),
        "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", pdf.toString(), signed.toString());
    Run verify = dsm("verify", "--trust", root.toString(), signed.toString());

    assertThat(sign.exitCode()).as(sign.err()).isZero();
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(verify.out()).contains("TOTAL_PASSED").contains("PAdES-BASELINE-LTA");
    ExternalTools.require("pdfsig", "certutil");
    Path nssdb = ExternalTools.nssDatabase(Files.createDirectories(dir.resolve("nss")), root);
    ExternalTools.Result pdfsig = ExternalTools.run(dir, "pdfsig", "-nssdir", "sql:" + nssdb, signed.toString());
    assertThat(pdfsig.output()).as(pdfsig.output()).contains("Signature is Valid.")
        .contains("Certificate is Trusted.").doesNotContain("Digest Mismatch");
  }

  @Test
  void sign_withSignedAttributes_andVerifyPrintsThem() throws IOException {
    Path png = Files.write(dir.resolve("attributes.png"), Samples.bytes("sample.png"));
    Path policy = Files.writeString(dir.resolve("policy.txt"), "Scanning policy of the land registry");
    Path signed = dir.resolve("attributes.png.p7m");

    Run sign = dsm("sign", "--tsa", PKI.tsaUrl().toString(), "--trust", root.toString(), "--commitment",
        "approval,creation", "--claimed-role", "Registrar", "--signer-location", "LU,Diekirch,L-9201",
        "--policy-id", "1.3.6.1.4.1.55555.3.9", "--policy-file", policy.toString(), "--policy-notice",
        "Scans are signed under the registry's 2026 policy", "--content-timestamp",
        "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", png.toString(), signed.toString());
    Run verify = dsm("verify", "--trust", root.toString(), signed.toString());
    Run json = dsm("verify", "--json", "--trust", root.toString(), signed.toString());

    assertThat(sign.exitCode()).as(sign.err()).isZero();
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(verify.out()).contains("commitment:   PROOF_OF_APPROVAL, PROOF_OF_CREATION",
        "claimed role: Registrar", "location:     Diekirch", "policy:       1.3.6.1.4.1.55555.3.9",
        "CONTENT_TIMESTAMP");
    // No URL to fetch the policy from: reported as such, which DSS's policy only notes.
    assertThat(verify.out()).contains("NOT identified");
    assertThat(json.out()).contains("\"claimedRoles\" : [ \"Registrar\" ]");
    assertThat(verify.out()).contains("policy notice: Scans are signed under the registry's 2026 policy");
    Run half = dsm("sign", "--policy-id", "1.2.3", "--keystore", p12.toString(), "--storepass-env",
        "DSM_TEST_STOREPASS", png.toString(), dir.resolve("never.p7m").toString());
    assertThat(half.exitCode()).isEqualTo(2);
    assertThat(half.err()).contains("both --policy-id and --policy-file");
  }

  @Test
  void sign_withCustomAttributes_andVerifyPrintsThem() throws IOException {
    Path png = Files.write(dir.resolve("custom.png"), Samples.bytes("sample.png"));
    Path xml = Files.write(dir.resolve("custom.xml"), Samples.bytes("sample.xml"));
    Path element = Files.writeString(dir.resolve("case.xml"), "<case xmlns=\"urn:example:bank\">4711</case>");

    // A UTF8String "4711": 0c 04 34 37 31 31.
    Run cms = dsm("sign", "--attribute", "1.3.6.1.4.1.55555.9.1=0c0434373131", "--keystore", p12.toString(),
        "--storepass-env", "DSM_TEST_STOREPASS", png.toString(), dir.resolve("custom.png.p7m").toString());
    Run xades = dsm("sign", "--attribute-xml", element.toString(), "--keystore", p12.toString(),
        "--storepass-env", "DSM_TEST_STOREPASS", xml.toString(), dir.resolve("custom-signed.xml").toString());
    Run verifyCms = dsm("verify", "--trust", root.toString(), dir.resolve("custom.png.p7m").toString());
    Run verifyXades = dsm("verify", "--trust", root.toString(), dir.resolve("custom-signed.xml").toString());

    assertThat(cms.exitCode()).as(cms.err()).isZero();
    assertThat(xades.exitCode()).as(xades.err()).isZero();
    assertThat(verifyCms.exitCode()).as(verifyCms.out()).isZero();
    assertThat(verifyCms.out()).contains("attribute:    1.3.6.1.4.1.55555.9.1 = 0c0434373131");
    assertThat(verifyXades.exitCode()).as(verifyXades.out()).isZero();
    assertThat(verifyXades.out()).contains("attribute:    <case xmlns=\"urn:example:bank\">4711</case>");
    Run wrongForm = dsm("sign", "--attribute-xml", element.toString(), "--keystore", p12.toString(),
        "--storepass-env", "DSM_TEST_STOREPASS", png.toString(), dir.resolve("never.p7m").toString());
    assertThat(wrongForm.exitCode()).isEqualTo(2);
    assertThat(wrongForm.err()).contains("CustomAttribute.xml is for XAdES");
    Run notHex = dsm("sign", "--attribute", "1.3.6.1.4.1.55555.9.1=zz", "--keystore", p12.toString(),
        "--storepass-env", "DSM_TEST_STOREPASS", png.toString(), dir.resolve("never.p7m").toString());
    assertThat(notHex.exitCode()).isEqualTo(2);
    assertThat(notHex.err()).contains("the value is not hex");
  }

  @Test
  void signingASignedCms_addsAParallelSignature_andCountersignConfirmsOne() throws IOException {
    Path png = Files.write(dir.resolve("cosign.png"), Samples.bytes("sample.png"));
    Path first = dir.resolve("cosign.png.p7m");
    Path both = dir.resolve("cosign-both.p7m");
    Path countersigned = dir.resolve("cosign-countersigned.p7m");
    Path second = PKI.newIdentity("Second Signer", KeyType.RSA_2048).writePkcs12(dir.resolve("second.p12"));
    dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", png.toString(),
        first.toString());

    Run add = dsm("sign", "--keystore", second.toString(), "--storepass-env", "DSM_TEST_STOREPASS", first.toString(),
        both.toString());
    Run ids = dsm("verify", "--json", "--trust", root.toString(), both.toString());
    String firstId = ids.out().replaceAll("(?s).*?\"id\" : \"(S-[0-9A-F]+)\".*", "$1");
    Run counter = dsm("sign", "--countersign", firstId, "--keystore", second.toString(), "--storepass-env",
        "DSM_TEST_STOREPASS", both.toString(), countersigned.toString());
    Run verify = dsm("verify", "--trust", root.toString(), countersigned.toString());

    assertThat(add.exitCode()).as(add.err()).isZero();
    assertThat(add.out()).contains("Added a CAdES-B signature");
    assertThat(counter.exitCode()).as(counter.err()).isZero();
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(verify.out()).contains("counter-signs: " + firstId).contains("Second Signer");
    assertThat(verify.out().split("TOTAL_PASSED", -1)).hasSize(4); // three signatures, each passed
  }

  @Test
  void asicE_signExtendAndASecondSigner_fromTheCommandLine() throws Exception {
    Path pdf = Files.write(dir.resolve("loan.pdf"), Samples.bytes("sample.pdf"));
    Path png = Files.write(dir.resolve("id-card.png"), Samples.bytes("sample.png"));
    Path xml = Files.write(dir.resolve("terms.xml"), Samples.bytes("sample.xml"));
    Path container = dir.resolve("loan.asice");
    Path lt = dir.resolve("loan-lt.asice");
    Path cosigned = dir.resolve("loan-cosigned.asice");
    Path second = PKI.newIdentity("Co-borrower", KeyType.EC_P256).writePkcs12(dir.resolve("co.p12"));

    Run sign = dsm("sign", "--asic", "E", "--include", png.toString(), "--include", xml.toString(), "--keystore",
        p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", pdf.toString(), container.toString());
    Run extend = dsm("extend", "--level", "LT", "--tsa", PKI.tsaUrl().toString(), "--trust", root.toString(),
        container.toString(), lt.toString());
    Run cosign = dsm("sign", "--asic", "E", "--level", "LT", "--tsa", PKI.tsaUrl().toString(), "--trust",
        root.toString(), "--keystore", second.toString(), "--storepass-env", "DSM_TEST_STOREPASS", lt.toString(),
        cosigned.toString());
    Run verify = dsm("verify", "--trust", root.toString(), cosigned.toString());

    assertThat(sign.exitCode()).as(sign.err()).isZero();
    assertThat(sign.out()).contains("into ASiC-E with CADES-B");
    assertThat(extend.exitCode()).as(extend.err()).isZero();
    assertThat(cosign.exitCode()).as(cosign.err()).isZero();
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(verify.out()).contains("Co-borrower").contains("CAdES-BASELINE-LT");
    assertThat(verify.out().split("  signer: ", -1)).hasSize(3); // two signatures (exit 0: both passed)

    Run list = dsm("asic", "list", cosigned.toString());
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains("loan.pdf", "id-card.png", "terms.xml").contains(java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Samples.bytes("sample.png"))));
    Path out = dir.resolve("extracted");
    Run extract = dsm("asic", "extract", cosigned.toString(), out.toString());
    assertThat(extract.exitCode()).as(extract.err()).isZero();
    assertThat(Files.readAllBytes(out.resolve("id-card.png"))).isEqualTo(Samples.bytes("sample.png"));
    assertThat(Files.readAllBytes(out.resolve("terms.xml"))).isEqualTo(Samples.bytes("sample.xml"));
    Run again = dsm("asic", "extract", cosigned.toString(), out.toString());
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("exists; use --force");
    Run notAContainer = dsm("asic", "list", pdf.toString());
    assertThat(notAContainer.exitCode()).isEqualTo(2);
    assertThat(notAContainer.err()).contains("is not an ASiC container");
  }

  @Test
  void asicExtract_neverWritesOutsideItsDirectory() throws IOException {
    Path container = dir.resolve("hostile.asice");
    try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(container))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("mimetype"));
      zip.write("application/vnd.etsi.asic-e+zip".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      zip.putNextEntry(new java.util.zip.ZipEntry("ok.txt"));
      zip.write("fine".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      zip.putNextEntry(new java.util.zip.ZipEntry("../escaped.txt"));
      zip.write("outside".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    Path out = dir.resolve("hostile-out");

    Run extract = dsm("asic", "extract", container.toString(), out.toString());

    assertThat(dir.resolve("escaped.txt")).doesNotExist();
    if (extract.exitCode() != 0) {
      // Refused before anything was written.
      assertThat(extract.exitCode()).isEqualTo(2);
      assertThat(out.resolve("ok.txt")).doesNotExist();
    }
  }

  @Test
  void asicExtract_refusesLinksOutOfItsDirectory_andNamesThatWouldCollide() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("elsewhere"));
    Path out = Files.createDirectories(dir.resolve("linked-out"));
    Files.createSymbolicLink(out.resolve("sub"), outside);
    Path linked = hostileContainer("linked.asice", "sub/planted.txt");
    Path twins = hostileContainer("twins.asice", "Report.txt", "report.txt");

    Run viaLink = dsm("asic", "extract", linked.toString(), out.toString());
    Run collide = dsm("asic", "extract", twins.toString(), dir.resolve("twins-out").toString());

    assertThat(outside.resolve("planted.txt")).doesNotExist();
    assertThat(viaLink.exitCode()).isEqualTo(2);
    assertThat(viaLink.err()).contains("leads outside");
    assertThat(collide.exitCode()).isEqualTo(2);
    assertThat(collide.err()).contains("would be one file");
    assertThat(dir.resolve("twins-out")).doesNotExist();
  }

  private Path hostileContainer(String name, String... entries) throws IOException {
    Path container = dir.resolve(name);
    try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(container))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("mimetype"));
      zip.write("application/vnd.etsi.asic-e+zip".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      for (String entry : entries) {
        zip.putNextEntry(new java.util.zip.ZipEntry(entry));
        zip.write(entry.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
    }
    return container;
  }

  @Test
  void formatChoices_fromTheCommandLine() throws IOException {
    Path xml = Files.writeString(dir.resolve("contract.xml"), "<contract><terms Id=\"terms\">25000.00</terms>"
        + "<notes Id=\"notes\">internal</notes></contract>");
    Path signedXml = dir.resolve("contract-signed.xml");
    Path png = Files.write(dir.resolve("hinted.png"), Samples.bytes("sample.png"));
    Path signedPng = dir.resolve("hinted.png.p7m");

    Run xades = dsm("sign", "--c14n", "inclusive-11", "--sign-element", "terms", "--keystore", p12.toString(),
        "--storepass-env", "DSM_TEST_STOREPASS", xml.toString(), signedXml.toString());
    Run cades = dsm("sign", "--content-hints", "Scanned contract page", "--content-hints-type",
        "1.2.840.113549.1.9.16.1.4", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS",
        png.toString(), signedPng.toString());
    Run wrong = dsm("sign", "--sign-element", "terms", "--keystore", p12.toString(), "--storepass-env",
        "DSM_TEST_STOREPASS", png.toString(), dir.resolve("never.p7m").toString());
    Run badC14n = dsm("sign", "--c14n", "fancy", "--keystore", p12.toString(), "--storepass-env",
        "DSM_TEST_STOREPASS", xml.toString(), dir.resolve("never.xml").toString());

    assertThat(xades.exitCode()).as(xades.err()).isZero();
    assertThat(Files.readString(signedXml)).contains("http://www.w3.org/2006/12/xml-c14n11", "URI=\"#terms\"");
    Files.writeString(signedXml, Files.readString(signedXml).replace("internal", "changed"));
    assertThat(dsm("verify", "--trust", root.toString(), signedXml.toString()).exitCode())
        .as("the notes are not signed").isZero();
    assertThat(cades.exitCode()).as(cades.err()).isZero();
    assertThat(dsm("verify", "--trust", root.toString(), signedPng.toString()).out())
        .contains("content:      1.2.840.113549.1.9.16.1.4 [Scanned contract page]");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err()).contains("for XML (XAdES) only");
    assertThat(badC14n.exitCode()).isEqualTo(2);
    assertThat(badC14n.err()).contains("Unknown --c14n 'fancy'");
  }

  @Test
  void newerFlagsThatWouldBeIgnored_orFilesThatCannotBeRead_areRefused() throws IOException {
    Path pdf = Files.write(dir.resolve("ignored.pdf"), Samples.bytes("sample.pdf"));
    Path xml = Files.write(dir.resolve("ignored.xml"), Samples.bytes("sample.xml"));
    String[] key = {"sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS"};

    Run certifyInContainer = dsm(concat(key, "--asic", "S", "--certify", "1", pdf.toString(),
        dir.resolve("never.asics").toString()));
    Run hintsOverSeveralFiles = dsm(concat(key, "--format", "xades", "--packaging", "detached", "--include",
        pdf.toString(), "--content-hints", "x", xml.toString(), dir.resolve("never.xml").toString()));
    Run noticeOnCounterSignature = dsm(concat(key, "--countersign", "S-1", "--policy-notice", "x", xml.toString(),
        dir.resolve("never.xml").toString()));
    Run missingFont = dsm(concat(key, "--visible-page", "1", "--visible-rect", "50,60,220,70", "--visible-font",
        dir.resolve("no-such.ttf").toString(), pdf.toString(), dir.resolve("never.pdf").toString()));
    Run nanSize = dsm(concat(key, "--visible-page", "1", "--visible-rect", "50,60,220,70", "--visible-font-size",
        "NaN", pdf.toString(), dir.resolve("never.pdf").toString()));

    assertThat(certifyInContainer.exitCode()).isEqualTo(2);
    assertThat(certifyInContainer.err()).contains("for signing a PDF itself");
    assertThat(hintsOverSeveralFiles.exitCode()).isEqualTo(2);
    assertThat(hintsOverSeveralFiles.err()).contains("over several files takes no --content-hints");
    assertThat(noticeOnCounterSignature.exitCode()).isEqualTo(2);
    assertThat(noticeOnCounterSignature.err()).contains("counter-signature is made at level B with no other options");
    assertThat(missingFont.exitCode()).isEqualTo(2);
    assertThat(missingFont.err()).contains("--visible-font: cannot read");
    assertThat(nanSize.exitCode()).isEqualTo(2);
    assertThat(nanSize.err()).contains("font size must be 4 to 72");
    assertThat(dir.resolve("never.pdf")).doesNotExist();
    assertThat(dir.resolve("never.asics")).doesNotExist();
  }

  private static String[] concat(String[] first, String... rest) {
    String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }

  @Test
  void flagsThatWouldBeIgnored_areRefused() throws IOException {
    Path png = Files.write(dir.resolve("flags.png"), Samples.bytes("sample.png"));
    Path pdf = Files.write(dir.resolve("flags.pdf"), Samples.bytes("sample.pdf"));
    Path signedPdf = dir.resolve("flags-signed.pdf");
    dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", pdf.toString(),
        signedPdf.toString());
    Path container = dir.resolve("flags.asice");
    dsm("sign", "--asic", "E", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", png.toString(),
        container.toString());

    Run both = dsm("sign", "--asic", "E", "--countersign", "S-1", "--keystore", p12.toString(), "--storepass-env",
        "DSM_TEST_STOREPASS", png.toString(), dir.resolve("x").toString());
    Run containerWithoutAsic = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS",
        container.toString(), dir.resolve("y").toString());
    Run noTsa = dsm("sign", "--content-timestamp", "--keystore", p12.toString(), "--storepass-env",
        "DSM_TEST_STOREPASS", png.toString(), dir.resolve("z").toString());
    Run counterAtLt = dsm("sign", "--countersign", "S-1", "--level", "LT", "--keystore", p12.toString(),
        "--storepass-env", "DSM_TEST_STOREPASS", png.toString(), dir.resolve("w").toString());

    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--countersign and --asic do not go together");
    assertThat(containerWithoutAsic.exitCode()).isEqualTo(2);
    assertThat(containerWithoutAsic.err()).contains("is an ASiC container: add --asic E or --asic S");
    assertThat(noTsa.exitCode()).isEqualTo(2);
    assertThat(noTsa.err()).contains("--content-timestamp needs a timestamp authority");
    assertThat(counterAtLt.exitCode()).isEqualTo(2);
    assertThat(counterAtLt.err()).contains("counter-signature is made at level B");
    assertThat(dir.resolve("x")).doesNotExist();
  }

  @Test
  void sign_withAVisibleSignature_putsItOnThePage_andVerifies() throws IOException {
    Path pdf = Files.write(dir.resolve("visible-in.pdf"), org.opendsm.testing.Samples.bytes("sample.pdf"));
    Path png = Files.write(dir.resolve("seal.png"), org.opendsm.testing.Samples.bytes("sample.png"));
    Path signed = dir.resolve("visible-out.pdf");

    Run sign = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", "--reason",
        "Approved", "--location", "Luxembourg", "--visible-page", "-1", "--visible-rect", "50,60,220,70",
        "--visible-text", "Approved by\\nthe command line", "--image", png.toString(), pdf.toString(), signed.toString());
    Run verify = dsm("verify", "--trust", root.toString(), signed.toString());

    assertThat(sign.exitCode()).as(sign.err()).isZero();
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(verify.out()).contains("TOTAL_PASSED");
    try (var doc = org.apache.pdfbox.Loader.loadPDF(signed.toFile())) {
      var field = doc.getSignatureFields().get(0);
      assertThat(field.getWidgets().get(0).getRectangle().getWidth()).isEqualTo(220f);
      assertThat(field.getSignature().getReason()).isEqualTo("Approved");
      assertThat(field.getSignature().getLocation()).isEqualTo("Luxembourg");
    }
  }

  @Test
  void sign_visibleSignature_inAFontSizeAndColoursOfOurChoice() throws IOException {
    Path pdf = Files.write(dir.resolve("styled-in.pdf"), org.opendsm.testing.Samples.bytes("sample.pdf"));
    Path font;
    try (var in = org.apache.pdfbox.pdmodel.PDDocument.class.getResourceAsStream(
        "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf")) {
      font = Files.write(dir.resolve("LiberationSans.ttf"), in.readAllBytes());
    }
    Path signed = dir.resolve("styled-out.pdf");

    Run sign = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", "--visible-page",
        "1", "--visible-rect", "50,60,220,70", "--visible-font", font.toString(), "--visible-font-size", "12",
        "--visible-color", "#1F3A93", "--visible-background", "#FFF3C4", "--visible-zone", "Europe/Luxembourg",
        pdf.toString(), signed.toString());
    Run verify = dsm("verify", "--trust", root.toString(), signed.toString());
    Run badColour = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS",
        "--visible-page", "1", "--visible-rect", "50,60,220,70", "--visible-color", "navy", pdf.toString(),
        dir.resolve("never.pdf").toString());

    assertThat(sign.exitCode()).as(sign.err()).isZero();
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(org.opendsm.testing.SamplePdfs.signatureAppearanceFonts(Files.readAllBytes(signed)))
        .anyMatch(name -> name.contains("LiberationSans"));
    assertThat(badColour.exitCode()).isEqualTo(2);
    assertThat(badColour.err()).contains("--visible-color takes a colour written #RRGGBB");
  }

  @Test
  void sign_aCertificationSignature_withContactInfo_thenAnotherIsRefusedWhenNothingMayChange() throws IOException {
    Path pdf = Files.write(dir.resolve("certify-in.pdf"), org.opendsm.testing.Samples.bytes("sample.pdf"));
    Path certified = dir.resolve("certified.pdf");

    Run certify = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", "--certify", "1",
        "--contact-info", "legal@bank.example", pdf.toString(), certified.toString());
    Run verify = dsm("verify", "--trust", root.toString(), certified.toString());
    Run again = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS",
        certified.toString(), dir.resolve("never.pdf").toString());
    Run badLevel = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", "--certify", "4",
        pdf.toString(), dir.resolve("never.pdf").toString());

    assertThat(certify.exitCode()).as(certify.err()).isZero();
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    try (var doc = org.apache.pdfbox.Loader.loadPDF(certified.toFile())) {
      assertThat(doc.getSignatureFields().get(0).getSignature().getContactInfo()).isEqualTo("legal@bank.example");
      assertThat(doc.getDocumentCatalog().getCOSObject().getCOSDictionary(org.apache.pdfbox.cos.COSName.PERMS))
          .as("a certified document names its DocMDP signature").isNotNull();
    }
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.err()).contains("certified by its author with no change permitted");
    assertThat(dir.resolve("never.pdf")).doesNotExist();
    assertThat(badLevel.exitCode()).isEqualTo(2);
    assertThat(badLevel.err()).contains("--certify takes 1");
  }

  @Test
  void anEncryptedPdf_isSignedVerifiedAndExtended_withItsPasswordFromTheEnvironment() throws IOException {
    Path encrypted = dir.resolve("encrypted.pdf");
    try (var doc = org.apache.pdfbox.Loader.loadPDF(org.opendsm.testing.Samples.bytes("sample.pdf"))) {
      var policy = new org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy("owner-secret", "open-sesame",
          new org.apache.pdfbox.pdmodel.encryption.AccessPermission());
      policy.setEncryptionKeyLength(256);
      doc.protect(policy);
      doc.save(encrypted.toFile());
    }
    Path signed = dir.resolve("encrypted-signed.pdf");
    Path lt = dir.resolve("encrypted-lt.pdf");

    Run withoutPassword = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS",
        encrypted.toString(), dir.resolve("never.pdf").toString());
    Run sign = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", "--pdf-password-env",
        "DSM_TEST_PDF_PASSWORD", encrypted.toString(), signed.toString());
    Run extend = dsm("extend", "--level", "LT", "--tsa", PKI.tsaUrl().toString(), "--trust", root.toString(),
        "--pdf-password-env", "DSM_TEST_PDF_PASSWORD", signed.toString(), lt.toString());
    Run extendWithout = dsm("extend", "--level", "LT", "--tsa", PKI.tsaUrl().toString(), "--trust", root.toString(),
        signed.toString(), dir.resolve("never.pdf").toString());
    Run verify = dsm("verify", "--trust", root.toString(), "--password-env", "DSM_TEST_PDF_PASSWORD", lt.toString());
    Run verifyWithout = dsm("verify", "--trust", root.toString(), lt.toString());

    assertThat(withoutPassword.exitCode()).isEqualTo(2);
    assertThat(withoutPassword.err()).contains("is encrypted and needs its password");
    assertThat(sign.exitCode()).as(sign.err()).isZero();
    assertThat(extend.exitCode()).as(extend.err()).isZero();
    assertThat(extendWithout.exitCode()).isEqualTo(2);
    assertThat(extendWithout.err()).contains("is encrypted and needs its password");
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("PAdES-BASELINE-LT");
    assertThat(verifyWithout.exitCode()).isEqualTo(2);
    assertThat(verifyWithout.err()).contains("password");
    try (var doc = org.apache.pdfbox.Loader.loadPDF(lt.toFile(), "open-sesame")) {
      assertThat(doc.isEncrypted()).as("still encrypted").isTrue();
    }
  }

  @Test
  void sign_preview_writesThePageAsItWillLook_andSignsNothing() throws IOException {
    Path pdf = Files.write(dir.resolve("preview-in.pdf"), org.opendsm.testing.Samples.bytes("sample.pdf"));
    Path png = dir.resolve("preview.png");

    Run preview = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", "--visible-page",
        "1", "--visible-rect", "50,60,220,70", "--visible-text", "Preview", "--preview", png.toString(),
        pdf.toString());
    Run withOut = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", "--visible-page",
        "1", "--visible-rect", "50,60,220,70", "--preview", png.toString(), pdf.toString(),
        dir.resolve("never.pdf").toString());

    assertThat(preview.exitCode()).as(preview.err()).isZero();
    var image = javax.imageio.ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isPositive();
    assertThat(Files.readAllBytes(pdf)).isEqualTo(org.opendsm.testing.Samples.bytes("sample.pdf"));
    assertThat(withOut.exitCode()).isEqualTo(2);
    assertThat(withOut.err()).contains("--preview signs nothing");
    assertThat(dir.resolve("never.pdf")).doesNotExist();
  }

  @Test
  void sign_severalFilesInOneDetachedXadesSignature() throws IOException {
    Path a = Files.writeString(dir.resolve("terms.txt"), "Terms of the loan");
    Path b = Files.write(dir.resolve("scan.png"), org.opendsm.testing.Samples.bytes("sample.png"));
    Path signature = dir.resolve("files.xades.xml");

    Run sign = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", "--format", "xades",
        "--packaging", "detached", "--include", b.toString(), a.toString(), signature.toString());
    Run verify = dsm("verify", "--trust", root.toString(), "--detached", a.toString(), "--detached", b.toString(),
        signature.toString());
    Run notDetached = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS",
        "--include", b.toString(), a.toString(), dir.resolve("never.p7m").toString());

    assertThat(sign.exitCode()).as(sign.err()).isZero();
    assertThat(sign.out()).contains("Signed 2 files in one XAdES-B detached signature");
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    assertThat(notDetached.exitCode()).isEqualTo(2);
    assertThat(notDetached.err()).contains("--include adds files to an ASiC-E container");
  }

  @Test
  void sign_standardInput_asAStream_intoADetachedCades() throws Exception {
    byte[] content = new byte[3 * 1024 * 1024 + 17];
    new java.util.Random(7).nextBytes(content);
    Path file = Files.write(dir.resolve("streamed.bin"), content);
    Path signature = dir.resolve("streamed.p7s");
    java.io.InputStream stdin = System.in;
    Run sign;
    try {
      System.setIn(new java.io.ByteArrayInputStream(content));
      sign = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", "--packaging",
          "detached", "-", signature.toString());
    } finally {
      System.setIn(stdin);
    }
    Run verify = dsm("verify", "--trust", root.toString(), "--detached", file.toString(), signature.toString());
    Run enveloping = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", "-",
        dir.resolve("never.p7m").toString());

    assertThat(sign.exitCode()).as(sign.err()).isZero();
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    ExternalTools.Result openssl = ExternalTools.run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER",
        "-in", signature.toString(), "-content", file.toString(), "-CAfile", root.toString(), "-purpose", "any",
        "-out", "/dev/null");
    assertThat(openssl.output()).contains("Verification successful");
    assertThat(enveloping.exitCode()).isEqualTo(2);
    assertThat(enveloping.err()).contains("add --packaging detached");
  }

  @Test
  void sign_intoAnExistingEmptyField_andAsACertificationAllowingFormFilling() throws IOException {
    Path pdf = Files.write(dir.resolve("field-in.pdf"), org.opendsm.testing.SamplePdfs.withEmptySignatureField(
        org.opendsm.testing.Samples.bytes("sample.pdf"), "Borrower"));
    Path signed = dir.resolve("field-out.pdf");
    Path cosigned = dir.resolve("field-cosigned.pdf");

    Run sign = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", "--certify", "2",
        "--visible-field", "Borrower", "--visible-text", "Borrower", pdf.toString(), signed.toString());
    Run approve = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS", "--visible-page",
        "1", "--visible-rect", "50,300,200,60", signed.toString(), cosigned.toString());
    Run verify = dsm("verify", "--trust", root.toString(), cosigned.toString());

    assertThat(sign.exitCode()).as(sign.err()).isZero();
    assertThat(approve.exitCode()).as(approve.err()).isZero();
    assertThat(verify.exitCode()).as(verify.out()).isZero();
    try (var doc = org.apache.pdfbox.Loader.loadPDF(cosigned.toFile())) {
      assertThat(doc.getSignatureFields()).extracting(f -> f.getPartialName()).contains("Borrower").hasSize(2);
    }
    ExternalTools.Result pdfsig = ExternalTools.run(dir, "pdfsig", "-nocert", cosigned.toString());
    assertThat(pdfsig.output()).as(pdfsig.output()).doesNotContain("Signature is Invalid");
    assertThat(pdfsig.output().split("Signature is Valid.", -1)).as(pdfsig.output()).hasSize(3);
  }

  @Test
  void sign_visibleOptionsOnAnXmlFile_orWithoutABox_exitTwo() throws IOException {
    Path xml = Files.write(dir.resolve("v.xml"), org.opendsm.testing.Samples.bytes("sample.xml"));
    Path pdf = Files.write(dir.resolve("v.pdf"), org.opendsm.testing.Samples.bytes("sample.pdf"));

    Run onXml = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS",
        "--visible-page", "1", "--visible-rect", "1,1,100,40", xml.toString(), dir.resolve("v-out.xml").toString());
    Run noBox = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS",
        "--visible-page", "1", pdf.toString(), dir.resolve("v-out.pdf").toString());

    assertThat(onXml.exitCode()).isEqualTo(2);
    assertThat(onXml.err()).contains("for PDF (PAdES) only");
    assertThat(noBox.exitCode()).isEqualTo(2);
    assertThat(noBox.err()).contains("--visible-page needs --visible-rect");
  }

  @Test
  void verify_json_hasTheDocumentedFields() throws IOException {
    Path signed = signSample("sample.xml", "signed.xml");

    Run verify = dsm("verify", "--json", "--trust", root.toString(), signed.toString());

    assertThat(verify.exitCode()).isZero();
    assertThat(verify.out()).contains("\"signer\" : \"Test Signer ec-p256\"").contains("\"signingTime\" : \"")
        .contains("\"format\" : \"XADES\"").contains("\"level\" : \"B\"")
        .contains("\"indication\" : \"TOTAL_PASSED\"").contains("\"subIndication\" : null")
        .contains("\"errors\" : [ ]");
  }

  @Test
  void verify_html_writesAStandalonePage() throws IOException {
    Path signed = signSample("sample.pdf", "for-html.pdf");
    Path html = dir.resolve("report.html");

    Run verify = dsm("verify", "--trust", root.toString(), "--html", html.toString(), signed.toString());

    assertThat(verify.exitCode()).isZero();
    assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("Test Signer ec-p256");
  }

  @Test
  void verify_withoutTrustAnchor_exitsOne() throws IOException {
    Path signed = signSample("sample.pdf", "untrusted.pdf");

    Run verify = dsm("verify", signed.toString());

    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.out()).contains("INDETERMINATE");
  }

  @Test
  void verify_unsigned_exitsOne() throws IOException {
    Path pdf = Files.write(dir.resolve("unsigned.pdf"), Samples.bytes("sample.pdf"));

    Run verify = dsm("verify", pdf.toString());

    assertThat(verify.exitCode()).isEqualTo(1);
    assertThat(verify.out()).isEqualTo("unsigned.pdf: no signature found\n");
  }

  @Test
  void verify_garbage_exitsTwoWithAClearMessage() throws IOException {
    Path garbage = Files.write(dir.resolve("garbage.bin"), new byte[] {1, 2, 3, 4, 5});

    Run verify = dsm("verify", garbage.toString());

    assertThat(verify.exitCode()).isEqualTo(2);
    assertThat(verify.err()).isEqualTo(
        "dsm: garbage.bin is neither a signature nor a document format OpenDSM reads (PDF, XML, CMS/PKCS#7)\n");
  }

  @Test
  void sign_withoutPasswordVariable_exitsTwoAndSaysWhatToSet() throws IOException {
    Path pdf = Files.write(dir.resolve("in.pdf"), Samples.bytes("sample.pdf"));

    Run sign = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_NO_SUCH_VARIABLE",
        pdf.toString(), dir.resolve("never.pdf").toString());

    assertThat(sign.exitCode()).isEqualTo(2);
    assertThat(sign.err()).isEqualTo(
        "dsm: Environment variable DSM_NO_SUCH_VARIABLE is not set; export it with the key store password\n");
    assertThat(dir.resolve("never.pdf")).doesNotExist();
  }

  @Test
  void sign_levelTWithoutTsa_exitsTwo() throws IOException {
    Path pdf = Files.write(dir.resolve("t.pdf"), Samples.bytes("sample.pdf"));

    Run sign = dsm("sign", "--level", "T", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS",
        pdf.toString(), dir.resolve("t-out.pdf").toString());

    assertThat(sign.exitCode()).isEqualTo(2);
    assertThat(sign.err()).isEqualTo("dsm: Level T needs a timestamp authority: add --tsa URL\n");
  }

  @Test
  void demo_signsAndVerifiesEverySample() {
    Run demo = dsm("demo", "--out", dir.resolve("demo").toString());

    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.out()).contains("PAdES-BASELINE-LTA").contains("CAdES-BASELINE-LT")
        .contains("XAdES-BASELINE-LT").doesNotContain("FAILED").doesNotContain("INDETERMINATE");
    assertThat(demo.out().lines().filter(l -> l.contains("TOTAL_PASSED")).count()).isEqualTo(3);
  }

  private static Path signSample(String sample, String outName) throws IOException {
    Path in = Files.write(dir.resolve("in-" + sample), Samples.bytes(sample));
    Path out = dir.resolve(outName);
    Run sign = dsm("sign", "--keystore", p12.toString(), "--storepass-env", "DSM_TEST_STOREPASS",
        in.toString(), out.toString());
    assertThat(sign.exitCode()).as(sign.err()).isZero();
    return out;
  }

  private static Path debianPdf() throws IOException {
    for (Path p : DEBIAN_PDFS) {
      if (Files.isReadable(p)) {
        if (!p.toString().endsWith(".gz")) {
          return p;
        }
        Path plain = dir.resolve(p.getFileName().toString().replace(".gz", ""));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
          Files.copy(in, plain);
        }
        return plain;
      }
    }
    ExternalTools.skipOrFail("No real-world PDF under /usr/share/doc; apt-get install libtasn1-doc");
    throw new AssertionError("unreachable");
  }
}
