package org.opendsm.xades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.CommitmentType;
import org.opendsm.Indication;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePolicy;
import org.opendsm.SignatureReport;
import org.opendsm.SignedAttributes;
import org.opendsm.SignedDocument;
import org.opendsm.SignerLocation;
import org.opendsm.Verifier;
import org.opendsm.testing.DocumentServer;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/** Commitment type, claimed role, production place, signature policy and content timestamp in XAdES. */
class XadesSignedAttributesTest {
  private static final TestPki PKI = TestPki.shared();
  private static final byte[] POLICY = "Invoice signing policy 2026".getBytes(StandardCharsets.UTF_8);
  private final XadesService xades = XadesService.create(PKI.serviceSettings());
  @TempDir Path dir;

  @Test
  void everyAttribute_isSigned_validated_reported_andXmlsecStillVerifies() throws Exception {
    try (DocumentServer policyServer = DocumentServer.serving(POLICY)) {
      SignedAttributes attributes = SignedAttributes.builder().commitment(CommitmentType.PROOF_OF_ORIGIN)
          .commitment(CommitmentType.PROOF_OF_APPROVAL).claimedRole("Accountant")
          .signerLocation(new SignerLocation("LU", "Esch-sur-Alzette", "L-4002", "1 Rue de l'Université"))
          .policy(new SignaturePolicy("urn:oid:1.3.6.1.4.1.55555.3.2", org.opendsm.DigestAlgorithm.SHA256,
              org.opendsm.DigestAlgorithm.SHA256.digest(POLICY), policyServer.uri("invoice-policy.txt"),
              "Invoice signing policy", "Invoices are signed under the 2026 policy"))
          .contentTimestamp(true).build();

      SignedDocument signed = xades.sign(Samples.xml(), XadesOptions.builder().level(SignatureLevel.LT)
          .signedAttributes(attributes).build(), PKI.identity(KeyType.EC_P256).signer());

      SignatureReport s = assertValid(signed.document(), List.of(), PKI.trustSettings(), SignatureLevel.LT)
          .signatures().get(0);
      assertThat(s.attributes().commitmentTypes()).containsExactly("PROOF_OF_ORIGIN", "PROOF_OF_APPROVAL");
      assertThat(s.attributes().policy().userNotice()).isEqualTo("Invoices are signed under the 2026 policy");
      assertThat(s.attributes().claimedRoles()).containsExactly("Accountant");
      assertThat(s.attributes().signerLocation()).contains("Esch-sur-Alzette", "L-4002", "1 Rue de l'Université",
          "LU");
      assertThat(s.attributes().policy().identified()).as(String.valueOf(s.attributes().policy().problem())).isTrue();
      assertThat(s.timestamps()).extracting(SignatureReport.TimestampReport::type).contains("ALL_DATA_OBJECTS_TIMESTAMP");

      Path file = dir.resolve("invoice-attributes.xml");
      signed.writeTo(file);
      String xml = Files.readString(file);
      assertThat(xml).contains("CommitmentTypeIndication", "ClaimedRole", "SignatureProductionPlace",
          "SignaturePolicyIdentifier", "AllDataObjectsTimeStamp", "SPUserNotice",
          "Invoices are signed under the 2026 policy");
      ExternalTools.require("xmlsec1");
      ExternalTools.Result xmlsec = ExternalTools.run(dir, "xmlsec1", "--verify", "--trusted-pem",
          PKI.writeRootPem(dir.resolve("root.pem")).toString(), "--untrusted-pem", pem(dir), file.toString());
      assertThat(xmlsec.output()).contains("OK");

      policyServer.replace("Invoice signing policy 2027".getBytes(StandardCharsets.UTF_8));
      SignatureReport changed = Verifier.create(PKI.trustSettings()).verify(signed.document()).signatures().get(0);
      assertThat(changed.attributes().policy().identified()).isFalse();
      assertThat(changed.indication()).isNotEqualTo(Indication.TOTAL_PASSED);
    }
  }

  private static String pem(Path dir) throws Exception {
    Path file = dir.resolve("issuing.pem");
    Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
        .encodeToString(PKI.issuingCaCertificate().getEncoded()) + "\n-----END CERTIFICATE-----\n");
    return file.toString();
  }

  @Test
  void aContentTimestamp_survivesTwoPhaseSigning() {
    var identity = PKI.identity(KeyType.EC_P256);
    XadesOptions options = XadesOptions.builder()
        .signedAttributes(SignedAttributes.builder().contentTimestamp(true).claimedRole("Clerk").build()).build();

    org.opendsm.PreparedSignature prepared = xades.prepare(Samples.xml(), options, identity.signer().certificateChain());
    org.opendsm.PreparedSignature back = org.opendsm.PreparedSignature.fromJson(prepared.toJson());
    var value = identity.signer().signDigests(back.digestAlgorithm(), List.of(back.digest())).get(0);
    SignedDocument signed = xades.complete(Samples.xml(), back, value);

    SignatureReport s = assertValid(signed.document(), List.of(), PKI.trustSettings(), SignatureLevel.B)
        .signatures().get(0);
    assertThat(s.timestamps()).extracting(SignatureReport.TimestampReport::type)
        .containsExactly("ALL_DATA_OBJECTS_TIMESTAMP");
    assertThat(s.attributes().claimedRoles()).containsExactly("Clerk");
  }
}
