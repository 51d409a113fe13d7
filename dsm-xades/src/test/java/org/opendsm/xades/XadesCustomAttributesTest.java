package org.opendsm.xades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opendsm.CustomAttribute;
import org.opendsm.Document;
import org.opendsm.Indication;
import org.opendsm.PreparedSignature;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignatureReport;
import org.opendsm.SignatureValue;
import org.opendsm.SignedAttributes;
import org.opendsm.SignedDocument;
import org.opendsm.Verifier;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.Identity;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/**
 * The application's own attributes in XAdES: signed XML-DSig signature properties, validated,
 * reported, kept through two-phase signing, and accepted by xmlsec1; a change to them breaks the
 * signature.
 */
class XadesCustomAttributesTest {
  private static final TestPki PKI = TestPki.shared();
  private static final String CASE = "<bank:case xmlns:bank=\"urn:example:bank\">CASE-2026-4711</bank:case>";
  private static final String AMOUNT = "<amount xmlns=\"urn:example:loan\" currency=\"EUR\">250000</amount>";
  private final XadesService xades = XadesService.create(PKI.serviceSettings());
  @TempDir Path dir;

  private static SignedAttributes custom() {
    return SignedAttributes.builder().custom(CustomAttribute.xml(CASE)).custom(CustomAttribute.xml(AMOUNT)).build();
  }

  @ParameterizedTest
  @EnumSource(SignaturePackaging.class)
  void customAttributes_areSigned_reported_andXmlsecAccepts(SignaturePackaging packaging) throws Exception {
    XadesOptions options = XadesOptions.builder().level(SignatureLevel.T).packaging(packaging)
        .signedAttributes(custom()).build();

    SignedDocument signed = xades.sign(Samples.xml(), options, PKI.identity(KeyType.EC_P256).signer());

    List<Document> detached = packaging == SignaturePackaging.DETACHED ? List.of(Samples.xml()) : List.of();
    SignatureReport s = assertValid(signed.document(), detached, PKI.trustSettings(), SignatureLevel.T)
        .signatures().get(0);
    assertThat(s.attributes().custom()).extracting(c -> ((CustomAttribute.Xml) c).element())
        .satisfiesExactly(a -> assertThat(a).contains("urn:example:bank", ">CASE-2026-4711</bank:case>"),
            a -> assertThat(a).contains("urn:example:loan", "currency=\"EUR\"", ">250000</amount>"));

    Path file = dir.resolve("signed-" + packaging + ".xml");
    signed.writeTo(file);
    String xml = Files.readString(file);
    var signatureId = java.util.regex.Pattern.compile("<ds:Signature [^>]*Id=\"([^\"]+)\"").matcher(xml);
    assertThat(signatureId.find()).isTrue();
    assertThat(xml.contains("<ds:SignatureProperty Target=\"#" + signatureId.group(1) + "\">"))
        .as("each property targets the signature").isTrue();
    if (packaging != SignaturePackaging.DETACHED) {
      ExternalTools.require("xmlsec1");
      ExternalTools.Result xmlsec = ExternalTools.run(dir, "xmlsec1", "--verify", "--trusted-pem",
          PKI.writeRootPem(dir.resolve("root.pem")).toString(), "--id-attr:Id",
          "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", file.toString());
      assertThat(xmlsec.output()).as(xmlsec.output()).contains("OK");
    }

    // Someone edits a signed property: the signature no longer validates.
    byte[] tampered = xml.replace(">250000<", ">950000<").getBytes(StandardCharsets.UTF_8);
    SignatureReport changed = Verifier.create(PKI.trustSettings())
        .verify(Document.of(tampered, "tampered.xml"), detached).signatures().get(0);
    assertThat(changed.indication()).isEqualTo(Indication.TOTAL_FAILED);
  }

  @Test
  void customAttributes_surviveTwoPhaseSigningThroughJson() {
    Identity id = PKI.identity(KeyType.RSA_2048);
    XadesOptions options = XadesOptions.builder().signedAttributes(custom()).build();

    PreparedSignature prepared = PreparedSignature.fromJson(xades.prepare(Samples.xml(), options, id.chain()).toJson());
    SignatureValue value = id.signer().signDigests(prepared.digestAlgorithm(), List.of(prepared.digest())).get(0);
    SignedDocument signed = xades.complete(Samples.xml(), prepared, value);

    assertThat(assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B).signatures().get(0)
        .attributes().custom()).hasSize(2);
  }

  @Test
  void oneSignatureOverSeveralFiles_carriesCustomAttributes() {
    Document a = Document.of("first".getBytes(StandardCharsets.UTF_8), "a.txt");
    Document b = Document.of("second".getBytes(StandardCharsets.UTF_8), "b.txt");

    SignedDocument signed = xades.signFiles(List.of(a, b), XadesOptions.builder()
        .packaging(SignaturePackaging.DETACHED).signedAttributes(custom()).build(), PKI.identity(KeyType.EC_P256).signer());

    assertThat(assertValid(signed.document(), List.of(a, b), PKI.trustSettings(), SignatureLevel.B).signatures().get(0)
        .attributes().custom()).hasSize(2);
  }

  @Test
  void elementsSignedById_andCustomAttributes_together() {
    Document contract = Document.of(("<contract><terms Id=\"terms\">Pay 100</terms><notes>free</notes></contract>")
        .getBytes(StandardCharsets.UTF_8), "contract.xml");

    SignedDocument signed = xades.sign(contract, XadesOptions.builder().signedElement("terms")
        .signedAttributes(custom()).build(), PKI.identity(KeyType.EC_P256).signer());

    assertThat(assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B).signatures().get(0)
        .attributes().custom()).hasSize(2);
  }

  @Test
  void unsignedOrAmbiguousProperties_areNotReported() {
    SignedDocument signed = xades.sign(Samples.xml(), XadesOptions.builder().packaging(SignaturePackaging.ENVELOPING)
        .signedAttributes(custom()).build(), PKI.identity(KeyType.EC_P256).signer());
    String xml = new String(signed.bytes(), StandardCharsets.UTF_8);
    String forged = "<ds:Object Id=\"forged\"><ds:SignatureProperties><ds:SignatureProperty Target=\"#x\">"
        + "<approval xmlns=\"urn:example:bank\">1000000</approval></ds:SignatureProperty></ds:SignatureProperties>"
        + "<f:SignedInfo xmlns:f=\"urn:f\"><ds:Reference URI=\"#forged\"/></f:SignedInfo></ds:Object>";

    // An object added after signing, "referenced" from a look-alike SignedInfo: not the signature's.
    Document added = Document.of(xml.replace("</ds:Signature>", forged + "</ds:Signature>")
        .getBytes(StandardCharsets.UTF_8), "added.xml");
    SignatureReport report = Verifier.create(PKI.trustSettings()).verify(added).signatures().get(0);
    assertThat(report.attributes().custom()).hasSize(2)
        .noneMatch(c -> ((CustomAttribute.Xml) c).element().contains("1000000"));

    // A second object under the signed object's id: the id is ambiguous, nothing is reported as signed.
    int start = xml.indexOf("<ds:Object Id=\"props-");
    String objectId = xml.substring(start + "<ds:Object Id=\"".length(), xml.indexOf('"', start + 15));
    Document twin = Document.of(xml.replace("</ds:Signature>", forged.replace("forged", objectId) + "</ds:Signature>")
        .getBytes(StandardCharsets.UTF_8), "twin.xml");
    assertThat(Verifier.create(PKI.trustSettings()).verify(twin).signatures().get(0).attributes().custom())
        .noneMatch(c -> ((CustomAttribute.Xml) c).element().contains("1000000"))
        .isEmpty();
  }

  @Test
  void badAttributes_areRefusedBeforeSigning() {
    assertThatThrownBy(() -> CustomAttribute.xml("<a><!-- unsigned --></a>")).hasMessageContaining("comments");
    assertThatThrownBy(() -> CustomAttribute.xml("<a><?pi unsigned?></a>")).hasMessageContaining("processing");
    assertThatThrownBy(() -> CustomAttribute.xml("<a><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/></a>"))
        .hasMessageContaining("XML-DSig or XAdES elements");
    assertThatThrownBy(() -> CustomAttribute.xml("<a><b Id=\"terms\"/></a>")).hasMessageContaining("Id attribute");
    assertThatThrownBy(() -> CustomAttribute.xml("<a>unclosed")).hasMessageContaining("one well-formed element");
    assertThatThrownBy(() -> CustomAttribute.xml("<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>"))
        .hasMessageContaining("without a document type declaration");
    assertThatThrownBy(() -> XadesOptions.builder().signedAttributes(SignedAttributes.builder()
        .custom(CustomAttribute.cms("1.3.6.1.4.1.55555.9.1", new byte[] {5, 0})).build()).build())
        .hasMessageContaining("CustomAttribute.cms is for CAdES and PAdES");
  }
}
