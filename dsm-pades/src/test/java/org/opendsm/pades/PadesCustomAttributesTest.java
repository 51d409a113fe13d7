package org.opendsm.pades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.CustomAttribute;
import org.opendsm.PreparedSignature;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureReport;
import org.opendsm.SignatureValue;
import org.opendsm.SignedAttributes;
import org.opendsm.SignedDocument;
import org.opendsm.testing.Identity;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/** The application's own CMS signed attributes in PAdES signatures. */
class PadesCustomAttributesTest {
  private static final TestPki PKI = TestPki.shared();
  private final PadesService pades = PadesService.create(PKI.serviceSettings());
  @TempDir Path dir;

  @Test
  void customAttributes_areSignedInTheCms_reported_andPdfsigAccepts() throws Exception {
    CustomAttribute caseNumber = CustomAttribute.cms("1.3.6.1.4.1.55555.9.1",
        new DERUTF8String("CASE-2026-4711").getEncoded(ASN1Encoding.DER));
    // A large value: the signature's room in /Contents grows with it.
    CustomAttribute receipt = CustomAttribute.cms("1.3.6.1.4.1.55555.9.3",
        new DEROctetString(new byte[20_000]).getEncoded(ASN1Encoding.DER));
    SignedAttributes attributes = SignedAttributes.builder().custom(caseNumber).custom(receipt).build();

    SignedDocument signed = pades.sign(Samples.pdf(), PadesOptions.builder().level(SignatureLevel.T)
        .reason("Loan").signedAttributes(attributes).build(), PKI.identity(KeyType.EC_P256).signer());
    SignedDocument lta = pades.extend(signed.document(), SignatureLevel.LTA);

    SignatureReport s = assertValid(lta.document(), PKI.trustSettings(), SignatureLevel.LTA).signatures().get(0);
    assertThat(s.attributes().custom()).containsExactlyInAnyOrder(caseNumber, receipt);
    IndependentPdfCheck.assertAccepted(lta.bytes(), 1, dir);
  }

  @Test
  void customAttributes_surviveTwoPhaseSigningThroughJson() throws Exception {
    Identity id = PKI.identity(KeyType.RSA_2048);
    CustomAttribute mine = CustomAttribute.cms("1.3.6.1.4.1.55555.9.1", new DERUTF8String("two-phase").getEncoded());
    PadesOptions options = PadesOptions.builder().signedAttributes(SignedAttributes.builder().custom(mine).build())
        .build();

    PreparedSignature prepared = PreparedSignature.fromJson(pades.prepare(Samples.pdf(), options, id.chain()).toJson());
    SignatureValue value = id.signer().signDigests(prepared.digestAlgorithm(), List.of(prepared.digest())).get(0);
    SignedDocument signed = pades.complete(Samples.pdf(), prepared, value);

    assertThat(assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B).signatures().get(0)
        .attributes().custom()).containsExactly(mine);
  }

  @Test
  void anXmlAttribute_isRefusedForPdf() {
    assertThatThrownBy(() -> PadesOptions.builder().signedAttributes(SignedAttributes.builder()
        .custom(CustomAttribute.xml("<a/>")).build()).build()).hasMessageContaining("CustomAttribute.xml is for XAdES");
  }
}
