package org.opendsm.xades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.Document;
import org.opendsm.Indication;
import org.opendsm.PreparedSignature;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignedDocument;
import org.opendsm.Verifier;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/** What a XAdES signature covers: canonicalisation, elements by id or XPath, several files. */
class XadesReferencesTest {
  private static final TestPki PKI = TestPki.shared();
  private static final String CONTRACT = """
      <?xml version="1.0" encoding="UTF-8"?>
      <contract xmlns="urn:example:contract">
        <terms Id="terms"><amount currency="EUR">25000.00</amount><rate>3.1</rate></terms>
        <notes Id="notes">Internal remarks, changed after signing.</notes>
      </contract>
      """;
  private final XadesService xades = XadesService.create(PKI.serviceSettings());
  @TempDir Path dir;

  @Test
  void aChosenCanonicalisation_isUsed_andXmlsecVerifies() throws Exception {
    SignedDocument signed = xades.sign(Samples.xml(), XadesOptions.builder()
        .canonicalization(Canonicalization.INCLUSIVE_11).build(), PKI.identity(KeyType.EC_P256).signer());

    assertValid(signed.document(), List.of(), PKI.trustSettings(), SignatureLevel.B);
    Path file = dir.resolve("c14n11.xml");
    signed.writeTo(file);
    assertThat(Files.readString(file)).contains("CanonicalizationMethod Algorithm=\"http://www.w3.org/2006/12/xml-c14n11\"");
    ExternalTools.require("xmlsec1");
    assertThat(ExternalTools.run(dir, "xmlsec1", "--verify", "--trusted-pem",
        PKI.writeRootPem(dir.resolve("root.pem")).toString(), "--id-attr:Id",
        "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", file.toString()).output()).contains("OK");
  }

  @Test
  void anElementSignedById_coversItAlone() {
    SignedDocument signed = xades.sign(contract(), XadesOptions.builder().signedElement("terms").build(),
        PKI.identity(KeyType.EC_P256).signer());
    String xml = text(signed.document());

    assertValid(signed.document(), List.of(), PKI.trustSettings(), SignatureLevel.B);
    assertThat(indication(xml.replace("Internal remarks", "Other remarks"))).isEqualTo(Indication.TOTAL_PASSED);
    assertThat(indication(xml.replace("25000.00", "95000.00"))).isEqualTo(Indication.TOTAL_FAILED);
    assertXmlsecAccepts(xml, "by-id.xml", "--id-attr:Id", "terms");
  }

  @Test
  void whatAnXPathSelects_isCovered_andTheRestIsNot() {
    SignedDocument signed = xades.sign(contract(), XadesOptions.builder()
        .signedXPath("//*[local-name()='terms']").build(), PKI.identity(KeyType.EC_P256).signer());
    String xml = text(signed.document());

    assertValid(signed.document(), List.of(), PKI.trustSettings(), SignatureLevel.B);
    assertThat(indication(xml.replace("Internal remarks", "Other remarks"))).isEqualTo(Indication.TOTAL_PASSED);
    assertThat(indication(xml.replace("<rate>3.1</rate>", "<rate>9.9</rate>"))).isEqualTo(Indication.TOTAL_FAILED);
    assertXmlsecAccepts(xml, "by-xpath.xml");
  }

  @Test
  void referencesById_surviveTwoPhaseSigning() {
    var identity = PKI.identity(KeyType.EC_P256);
    XadesOptions options = XadesOptions.builder().signedElement("terms").signedElement("notes")
        .canonicalization(Canonicalization.INCLUSIVE).build();

    PreparedSignature prepared = PreparedSignature.fromJson(
        xades.prepare(contract(), options, identity.signer().certificateChain()).toJson());
    var value = identity.signer().signDigests(prepared.digestAlgorithm(), List.of(prepared.digest())).get(0);
    SignedDocument signed = xades.complete(contract(), prepared, value);

    assertValid(signed.document(), List.of(), PKI.trustSettings(), SignatureLevel.B);
    assertThat(indication(text(signed.document()).replace("Internal remarks", "Other remarks")))
        .isEqualTo(Indication.TOTAL_FAILED);
  }

  @Test
  void oneDetachedSignature_overThreeFiles_needsEachOfThem() {
    List<Document> files = List.of(Samples.pdf(), Samples.png(), Samples.xml());
    SignedDocument signed = xades.signFiles(files, XadesOptions.builder().packaging(SignaturePackaging.DETACHED)
        .level(SignatureLevel.T).build(), PKI.identity(KeyType.RSA_2048).signer());

    assertValid(signed.document(), files, PKI.trustSettings(), SignatureLevel.T);
    assertThat(text(signed.document())).contains("URI=\"sample.pdf\"", "URI=\"sample.png\"", "URI=\"sample.xml\"");
    // xmlsec1 reads the three files beside the signature, by their URIs.
    for (Document f : files) {
      f.writeTo(dir.resolve(f.name()));
    }
    assertXmlsecAccepts(text(signed.document()), "three-files.xades.xml");
    List<Document> changed = List.of(Samples.pdf(), Samples.png(),
        Document.of(text(Samples.xml()).replace("25000.00", "95000.00").getBytes(StandardCharsets.UTF_8), "sample.xml"));
    assertThat(Verifier.create(PKI.trustSettings()).verify(signed.document(), changed).signatures().get(0).indication())
        .isNotEqualTo(Indication.TOTAL_PASSED);
  }

  /** xmlsec1 verifies {@code xml} (written to {@code name} in the test directory) to the test root. */
  private void assertXmlsecAccepts(String xml, String name, String... options) {
    ExternalTools.require("xmlsec1");
    try {
      Path file = Files.writeString(dir.resolve(name), xml);
      List<String> command = new java.util.ArrayList<>(List.of("xmlsec1", "--verify", "--trusted-pem",
          PKI.writeRootPem(dir.resolve("root.pem")).toString(), "--id-attr:Id",
          "http://uri.etsi.org/01903/v1.3.2#:SignedProperties"));
      command.addAll(List.of(options));
      command.add(file.toString());
      ExternalTools.Result xmlsec = ExternalTools.run(dir, command.toArray(new String[0]));
      assertThat(xmlsec.exitCode()).as(xmlsec.output()).isZero();
      assertThat(xmlsec.output()).contains("OK");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Document contract() {
    return Document.of(CONTRACT.getBytes(StandardCharsets.UTF_8), "contract.xml");
  }

  private static String text(Document d) {
    return new String(d.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static Indication indication(String xml) {
    return Verifier.create(PKI.trustSettings()).verify(Document.of(xml.getBytes(StandardCharsets.UTF_8), "x.xml"))
        .signatures().get(0).indication();
  }

  @Test
  void theRootElementSignedById_holdsItsOwnSignature_andStillValidates() {
    Document invoice = Document.of(("<invoice Id=\"inv\" xmlns=\"urn:example:invoice\"><total>100.00</total>"
        + "</invoice>").getBytes(StandardCharsets.UTF_8), "invoice.xml");

    SignedDocument signed = xades.sign(invoice, XadesOptions.builder().signedElement("inv").build(),
        PKI.identity(KeyType.EC_P256).signer());

    assertValid(signed.document(), List.of(), PKI.trustSettings(), SignatureLevel.B);
    assertThat(indication(text(signed.document()).replace("100.00", "900.00"))).isEqualTo(Indication.TOTAL_FAILED);
  }

  @Test
  void anUnknownId_orAnXPathThatSelectsNothing_isRefusedBeforeSigning() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> xades.sign(contract(),
        XadesOptions.builder().signedElement("nowhere").build(), PKI.identity(KeyType.EC_P256).signer()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no element with the id 'nowhere'");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> xades.sign(contract(),
        XadesOptions.builder().signedXPath("//*[local-name()='missing']").build(), PKI.identity(KeyType.EC_P256)
            .signer())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("selects nothing");
  }
}
