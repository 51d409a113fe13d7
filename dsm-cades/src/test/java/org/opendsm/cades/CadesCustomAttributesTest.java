package org.opendsm.cades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.CustomAttribute;
import org.opendsm.PreparedSignature;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignatureReport;
import org.opendsm.SignatureValue;
import org.opendsm.SignedAttributes;
import org.opendsm.SignedDocument;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.Identity;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/**
 * The application's own CMS signed attributes: signed, validated, reported, kept through two-phase
 * signing, and read by openssl.
 */
class CadesCustomAttributesTest {
  private static final TestPki PKI = TestPki.shared();
  private static final String CASE_NUMBER = "1.3.6.1.4.1.55555.9.1";
  private static final String LOAN = "1.3.6.1.4.1.55555.9.2";
  private final CadesService cades = CadesService.create(PKI.serviceSettings());
  @TempDir Path dir;

  private static SignedAttributes custom() throws Exception {
    return SignedAttributes.builder()
        .custom(CustomAttribute.cms(CASE_NUMBER, new DERUTF8String("CASE-2026-4711").getEncoded(ASN1Encoding.DER)))
        .custom(CustomAttribute.cms(LOAN, new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
            new DERUTF8String("EUR"), new ASN1Integer(250_000)}).getEncoded(ASN1Encoding.DER)))
        .build();
  }

  @Test
  void customAttributes_areSigned_reported_andReadByOpenssl() throws Exception {
    SignedAttributes attributes = custom();

    SignedDocument signed = cades.sign(Samples.png(), CadesOptions.builder().level(SignatureLevel.T)
        .packaging(SignaturePackaging.ENVELOPING).signedAttributes(attributes).build(),
        PKI.identity(KeyType.EC_P256).signer());

    SignatureReport s = assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.T).signatures().get(0);
    assertThat(s.attributes().custom()).containsExactlyInAnyOrderElementsOf(attributes.custom());
    assertThat(org.opendsm.Verifier.create(PKI.trustSettings()).verify(signed.document()).toJson())
        .contains("\"oid\" : \"" + CASE_NUMBER + "\"");

    ExternalTools.require("openssl");
    Path p7m = dir.resolve("signed.p7m");
    signed.writeTo(p7m);
    ExternalTools.Result verify = ExternalTools.run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER",
        "-in", p7m.toString(), "-CAfile", PKI.writeRootPem(dir.resolve("root.pem")).toString(), "-purpose", "any",
        "-out", dir.resolve("content.png").toString());
    assertThat(verify.ok()).as(verify.output()).isTrue();
    assertThat(Files.readAllBytes(dir.resolve("content.png"))).isEqualTo(Samples.bytes("sample.png"));
    String printed = ExternalTools.run(dir, "openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in",
        p7m.toString()).output();
    assertThat(printed).contains(CASE_NUMBER, LOAN, "CASE-2026-4711");
  }

  @Test
  void customAttributes_surviveTwoPhaseSigningThroughJson_detached() throws Exception {
    Identity id = PKI.identity(KeyType.RSA_2048);
    CadesOptions options = CadesOptions.builder().packaging(SignaturePackaging.DETACHED).signedAttributes(custom())
        .build();

    PreparedSignature prepared = PreparedSignature.fromJson(cades.prepare(Samples.png(), options, id.chain()).toJson());
    SignatureValue value = id.signer().signDigests(prepared.digestAlgorithm(), List.of(prepared.digest())).get(0);
    SignedDocument signed = cades.complete(Samples.png(), prepared, value);

    SignatureReport s = assertValid(signed.document(), List.of(Samples.png()), PKI.trustSettings(), SignatureLevel.B)
        .signatures().get(0);
    assertThat(s.attributes().custom()).containsExactlyInAnyOrderElementsOf(custom().custom());
  }

  @Test
  void aParallelSignature_carriesItsOwnCustomAttributes() throws Exception {
    SignedDocument first = cades.sign(Samples.png(), CadesOptions.builder().build(),
        PKI.identity(KeyType.EC_P256).signer());
    CustomAttribute mine = CustomAttribute.cms(CASE_NUMBER, new DERUTF8String("second signer").getEncoded());

    SignedDocument both = cades.addSignature(first.document(), List.of(), CadesOptions.builder()
        .signedAttributes(SignedAttributes.builder().custom(mine).build()).build(),
        PKI.newIdentity("Second Signer", KeyType.EC_P256).signer());

    List<SignatureReport> signatures = assertValid(both.document(), PKI.trustSettings(), SignatureLevel.B).signatures();
    assertThat(signatures).extracting(r -> r.attributes().custom())
        .containsExactlyInAnyOrder(List.of(), List.of(mine));
  }

  @Test
  void theSignedAttributes_areDssOwnPlusTheCustomOnes() throws Exception {
    var signer = PKI.identity(KeyType.EC_P256).signer();
    CadesOptions.Builder options = CadesOptions.builder().level(SignatureLevel.B);

    var without = signedAttributes(cades.sign(Samples.png(), options.build(), signer).bytes());
    var with = signedAttributes(cades.sign(Samples.png(), options.signedAttributes(custom()).build(), signer).bytes());

    assertThat(with.keySet()).containsAll(without.keySet()).contains(CASE_NUMBER, LOAN).hasSize(without.size() + 2);
    assertThat(with.get("0.4.0.1733.2.1")).as("the mime-type attribute").isNotNull()
        .isEqualTo(without.get("0.4.0.1733.2.1"));
  }

  private static java.util.Map<String, org.bouncycastle.asn1.cms.Attribute> signedAttributes(byte[] cms)
      throws Exception {
    var signer = new org.bouncycastle.cms.CMSSignedData(cms).getSignerInfos().getSigners().iterator().next();
    java.util.Map<String, org.bouncycastle.asn1.cms.Attribute> out = new java.util.HashMap<>();
    var all = signer.getSignedAttributes().toASN1EncodableVector();
    for (int i = 0; i < all.size(); i++) {
      var a = org.bouncycastle.asn1.cms.Attribute.getInstance(all.get(i));
      out.put(a.getAttrType().getId(), a);
    }
    return out;
  }

  @Test
  void badOrStandardAttributes_areRefusedBeforeSigning() {
    byte[] utf8 = HexFormat.of().parseHex("0c0161");
    assertThatThrownBy(() -> CustomAttribute.cms("not.an.oid", utf8)).hasMessageContaining("Not an object identifier");
    assertThatThrownBy(() -> CustomAttribute.cms("1.2.840.113549.1.9.5", utf8))
        .hasMessageContaining("is one CMS, CAdES or PAdES defines");
    assertThatThrownBy(() -> CustomAttribute.cms("1.2.840.113549.1.9.16.2.47", utf8))
        .hasMessageContaining("is one CMS, CAdES or PAdES defines");
    assertThatThrownBy(() -> CustomAttribute.cms(CASE_NUMBER, HexFormat.of().parseHex("0c0161ff")))
        .hasMessageContaining("is not one DER-encoded ASN.1 value");
    // A SEQUENCE of indefinite length is valid BER but not DER.
    assertThatThrownBy(() -> CustomAttribute.cms(CASE_NUMBER, HexFormat.of().parseHex("3080020101" + "0000")))
        .hasMessageContaining("not DER-encoded");
    assertThatThrownBy(() -> CustomAttribute.cms(CASE_NUMBER, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not one DER-encoded ASN.1 value");
    assertThatThrownBy(() -> CustomAttribute.cms("1.2.840.113583.1.1.8", utf8))
        .hasMessageContaining("is one CMS, CAdES or PAdES defines");
    assertThatThrownBy(() -> SignedAttributes.builder().custom(CustomAttribute.cms(CASE_NUMBER, utf8))
        .custom(CustomAttribute.cms(CASE_NUMBER, utf8)).build()).hasMessageContaining("given twice");
    assertThatThrownBy(() -> CadesOptions.builder().signedAttributes(SignedAttributes.builder()
        .custom(CustomAttribute.xml("<a/>")).build()).build()).hasMessageContaining("CustomAttribute.xml is for XAdES");
  }
}
