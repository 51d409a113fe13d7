package org.opendsm.asic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Document;
import org.opendsm.Indication;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureReport;
import org.opendsm.SignedDocument;
import org.opendsm.VerificationReport;
import org.opendsm.Verifier;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/**
 * ASiC-E and ASiC-S containers with CAdES and XAdES, several files, several signers, extension;
 * each validated by DSS, and the CAdES ones taken apart and checked with openssl and SHA-256.
 */
class AsicServiceTest {
  private static final TestPki PKI = TestPki.shared();
  private final AsicService asic = AsicService.create(PKI.serviceSettings());
  @TempDir Path dir;

  private static List<Document> files() {
    return List.of(Samples.pdf(), Samples.png(), Samples.xml());
  }

  @Test
  void asicE_withCades_threeFiles_atLt_validates_andOpensslChecksTheManifestSignature() throws Exception {
    SignedDocument container = asic.sign(files(), AsicOptions.builder().level(SignatureLevel.LT).build(),
        PKI.identity(KeyType.EC_P256).signer());

    assertThat(container.document().name()).isEqualTo("container.asice");
    VerificationReport report = assertValid(container.document(), List.of(), PKI.trustSettings(), SignatureLevel.LT);
    assertThat(report.signatures()).hasSize(1);
    assertThat(asic.contents(container.document())).extracting(Document::name)
        .containsExactlyInAnyOrder("sample.pdf", "sample.png", "sample.xml");
    for (Document d : asic.contents(container.document())) {
      assertThat(d.readAllBytes()).isEqualTo(Samples.bytes(d.name()));
    }

    // Taken apart: the CMS signs the manifest, and the manifest names each file's SHA-256.
    Map<String, byte[]> entries = unzip(container.document());
    String manifestName = entries.keySet().stream().filter(n -> n.startsWith("META-INF/ASiCManifest"))
        .findFirst().orElseThrow();
    String signatureName = entries.keySet().stream().filter(n -> n.startsWith("META-INF/signature") && n.endsWith(".p7s"))
        .findFirst().orElseThrow();
    assertThat(new String(entries.get("mimetype"), StandardCharsets.US_ASCII))
        .isEqualTo("application/vnd.etsi.asic-e+zip");
    String manifest = new String(entries.get(manifestName), StandardCharsets.UTF_8);
    for (Document f : files()) {
      assertThat(manifest).contains("URI=\"" + f.name() + "\"")
          .contains(Base64.getEncoder().encodeToString(f.digest(DigestAlgorithm.SHA256)));
    }
    Path manifestFile = Files.write(dir.resolve("manifest.xml"), entries.get(manifestName));
    Path p7s = Files.write(dir.resolve("signature.p7s"), entries.get(signatureName));
    ExternalTools.Result openssl = ExternalTools.run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER",
        "-in", p7s.toString(), "-content", manifestFile.toString(), "-CAfile",
        PKI.writeRootPem(dir.resolve("root.pem")).toString(), "-purpose", "any", "-out", "/dev/null");
    assertThat(openssl.output()).contains("Verification successful");
  }

  @Test
  void asicE_withXades_twoFiles_atLta_validates_andXmlsecVerifiesTheSignature() throws Exception {
    SignedDocument container = asic.sign(List.of(Samples.pdf(), Samples.png()), AsicOptions.builder()
        .format(SignatureFormat.XADES).level(SignatureLevel.LTA).build(), PKI.identity(KeyType.RSA_2048).signer());

    VerificationReport report = assertValid(container.document(), List.of(), PKI.trustSettings(), SignatureLevel.LTA);
    assertThat(report.signatures().get(0).formatName()).startsWith("XAdES-BASELINE");
    Map<String, byte[]> entries = unzip(container.document());
    String signatures = entries.keySet().stream().filter(n -> n.matches("META-INF/signatures.*\\.xml")).findFirst()
        .orElseThrow();

    // Taken apart: xmlsec1 checks the signature over the files, its references being relative to
    // the container's root.
    Path unpacked = Files.createDirectories(dir.resolve("xades-unpacked"));
    Files.write(unpacked.resolve("sample.pdf"), entries.get("sample.pdf"));
    Files.write(unpacked.resolve("sample.png"), entries.get("sample.png"));
    Path signatureFile = Files.write(unpacked.resolve("signatures.xml"), entries.get(signatures));
    ExternalTools.require("xmlsec1");
    ExternalTools.Result xmlsec = ExternalTools.run(unpacked, "xmlsec1", "--verify", "--trusted-pem",
        PKI.writeRootPem(dir.resolve("root.pem")).toString(), "--id-attr:Id",
        "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", signatureFile.toString());
    assertThat(xmlsec.exitCode()).as(xmlsec.output()).isZero();
  }

  @Test
  void asicS_withCades_oneFile_validates_andOpensslVerifiesTheFile() throws Exception {
    SignedDocument container = asic.sign(List.of(Samples.png()), AsicOptions.builder().type(AsicType.SIMPLE).build(),
        PKI.identity(KeyType.EC_P384).signer());

    assertThat(container.document().name()).isEqualTo("sample.png.asics");
    assertValid(container.document(), List.of(), PKI.trustSettings(), SignatureLevel.B);
    Map<String, byte[]> entries = unzip(container.document());
    Path p7s = Files.write(dir.resolve("signature.p7s"), entries.get("META-INF/signature.p7s"));
    Path png = Files.write(dir.resolve("sample.png"), entries.get("sample.png"));
    assertThat(ExternalTools.run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7s.toString(),
        "-content", png.toString(), "-CAfile", PKI.writeRootPem(dir.resolve("root.pem")).toString(), "-purpose", "any",
        "-out", "/dev/null").output()).contains("Verification successful");
  }

  @Test
  void aSecondSigner_andExtension_keepEverySignatureValid() {
    var alice = PKI.newIdentity("Alice Container", KeyType.EC_P256);
    var bob = PKI.newIdentity("Bob Container", KeyType.EC_P256);
    for (SignatureFormat format : List.of(SignatureFormat.CADES, SignatureFormat.XADES)) {
      AsicOptions options = AsicOptions.builder().format(format).build();
      SignedDocument first = asic.sign(files(), options, alice.signer());

      SignedDocument both = asic.addSignature(first.document(), options, bob.signer());
      SignedDocument lta = asic.extend(both.document(), SignatureLevel.LTA);

      VerificationReport report = assertValid(lta.document(), List.of(), PKI.trustSettings(), SignatureLevel.LTA);
      assertThat(report.signatures()).as(format.name()).extracting(SignatureReport::signer)
          .containsExactlyInAnyOrder("Alice Container", "Bob Container");
    }
  }

  @Test
  void aChangedFileInsideTheContainer_failsValidation() throws Exception {
    SignedDocument container = asic.sign(files(), AsicOptions.builder().build(), PKI.identity(KeyType.EC_P256).signer());
    Map<String, byte[]> entries = unzip(container.document());
    byte[] xml = entries.get("sample.xml");
    entries.put("sample.xml", new String(xml, StandardCharsets.UTF_8).replace("25000.00", "95000.00")
        .getBytes(StandardCharsets.UTF_8));

    Document tampered = zip(entries, "tampered.asice");

    VerificationReport report = Verifier.create(PKI.trustSettings()).verify(tampered);
    assertThat(report.signatures()).hasSize(1);
    assertThat(report.signatures().get(0).indication()).isEqualTo(Indication.TOTAL_FAILED);
  }

  @Test
  void badInput_isRefusedClearly() {
    assertThatThrownBy(() -> asic.sign(List.of(), AsicOptions.builder().build(), PKI.identity(KeyType.EC_P256).signer()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one file");
    assertThatThrownBy(() -> asic.sign(List.of(Samples.png(), Samples.png()), AsicOptions.builder().build(),
        PKI.identity(KeyType.EC_P256).signer())).hasMessageContaining("Two files are named sample.png");
    assertThatThrownBy(() -> asic.extend(Samples.png(), SignatureLevel.T))
        .isInstanceOf(org.opendsm.InvalidDocumentException.class).hasMessageContaining("not an ASiC container");
    assertThatThrownBy(() -> AsicOptions.builder().format(SignatureFormat.PADES).build())
        .hasMessageContaining("CAdES or XAdES");
  }

  private static Map<String, byte[]> unzip(Document container) {
    Map<String, byte[]> out = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(container.openStream())) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        out.put(e.getName(), zip.readAllBytes());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  private static Document zip(Map<String, byte[]> entries, String name) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("mimetype"));
      zip.write(entries.get("mimetype"));
      for (var e : entries.entrySet()) {
        if (!e.getKey().equals("mimetype")) {
          zip.putNextEntry(new ZipEntry(e.getKey()));
          zip.write(e.getValue());
        }
      }
    }
    return Document.of(bytes.toByteArray(), name);
  }
}
