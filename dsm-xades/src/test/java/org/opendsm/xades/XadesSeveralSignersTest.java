package org.opendsm.xades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureReport;
import org.opendsm.SignedDocument;
import org.opendsm.VerificationReport;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/** Several signers on one XML document: one after the other (enveloped), and a counter-signature. */
class XadesSeveralSignersTest {
  private static final TestPki PKI = TestPki.shared();
  private final XadesService xades = XadesService.create(PKI.serviceSettings());

  @Test
  void aSecondEnvelopedSignature_leavesTheFirstValid() throws Exception {
    var alice = PKI.newIdentity("Alice Xml", KeyType.EC_P256);
    var bob = PKI.newIdentity("Bob Xml", KeyType.RSA_2048);
    SignedDocument first = xades.sign(Samples.xml(), XadesOptions.builder().build(), alice.signer());

    SignedDocument both = xades.sign(first.document(), XadesOptions.builder().build(), bob.signer());

    VerificationReport report = assertValid(both.document(), List.of(), PKI.trustSettings(), SignatureLevel.B);
    assertThat(report.signatures()).extracting(SignatureReport::signer).containsExactlyInAnyOrder("Alice Xml", "Bob Xml");

    // xmlsec1 verifies each of the two signatures in the document, the first after the second was added.
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("xades-two-signers");
    java.nio.file.Path file = dir.resolve("two-signers.xml");
    both.writeTo(file);
    org.opendsm.testing.ExternalTools.require("xmlsec1");
    for (int n = 1; n <= 2; n++) {
      var xmlsec = org.opendsm.testing.ExternalTools.run(dir, "xmlsec1", "--verify", "--trusted-pem",
          PKI.writeRootPem(dir.resolve("root.pem")).toString(), "--id-attr:Id",
          "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", "--node-xpath",
          "(//*[local-name()='Signature' and namespace-uri()='http://www.w3.org/2000/09/xmldsig#'])[" + n + "]",
          file.toString());
      assertThat(xmlsec.exitCode()).as("signature " + n + ": " + xmlsec.output()).isZero();
    }
  }

  @Test
  void aCounterSignature_confirmsOneSignature_andXmlsecStillVerifiesTheDocument() throws Exception {
    var client = PKI.newIdentity("Client Xml", KeyType.EC_P256);
    var notary = PKI.newIdentity("Notary Xml", KeyType.EC_P256);
    SignedDocument signed = xades.sign(Samples.xml(), XadesOptions.builder().build(), client.signer());
    String clientSignature = assertValid(signed.document(), List.of(), PKI.trustSettings(), SignatureLevel.B)
        .signatures().get(0).id();

    SignedDocument countersigned = xades.counterSign(signed.document(), clientSignature, notary.signer());

    VerificationReport report = assertValid(countersigned.document(), List.of(), PKI.trustSettings(),
        SignatureLevel.B);
    SignatureReport counter = report.signatures().stream().filter(s -> s.counterSignatureOf() != null).findFirst()
        .orElseThrow();
    assertThat(counter.signer()).isEqualTo("Notary Xml");
    assertThat(counter.counterSignatureOf()).isEqualTo(clientSignature);
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("xades-counter");
    java.nio.file.Path file = dir.resolve("countersigned.xml");
    countersigned.writeTo(file);
    assertThat(java.nio.file.Files.readString(file)).contains("CounterSignature");
    org.opendsm.testing.ExternalTools.require("xmlsec1");
    var xmlsec = org.opendsm.testing.ExternalTools.run(dir, "xmlsec1", "--verify", "--trusted-pem",
        PKI.writeRootPem(dir.resolve("root.pem")).toString(), "--id-attr:Id",
        "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", file.toString());
    assertThat(xmlsec.output()).contains("OK");
  }

  @Test
  void aCounterSignature_canItselfBeCounterSigned() {
    SignedDocument signed = xades.sign(Samples.xml(), XadesOptions.builder().build(), PKI.newIdentity("First Signer", KeyType.EC_P256).signer());
    String first = assertValid(signed.document(), List.of(), PKI.trustSettings(), SignatureLevel.B).signatures().get(0)
        .id();
    SignedDocument once = xades.counterSign(signed.document(), first,
        PKI.newIdentity("Counter Signer", KeyType.EC_P256).signer());
    String counter = assertValid(once.document(), List.of(), PKI.trustSettings(), SignatureLevel.B).signatures()
        .stream().filter(s -> first.equals(s.counterSignatureOf())).findFirst().orElseThrow().id();

    SignedDocument twice = xades.counterSign(once.document(), counter,
        PKI.newIdentity("Second Counter Signer", KeyType.EC_P256).signer());

    VerificationReport report = assertValid(twice.document(), List.of(), PKI.trustSettings(), SignatureLevel.B);
    assertThat(report.signatures()).hasSize(3);
    assertThat(report.signatures()).anyMatch(s -> counter.equals(s.counterSignatureOf())
        && s.signer().equals("Second Counter Signer"));
  }
}
