package org.opendsm.asic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.opendsm.CustomAttribute;
import org.opendsm.Document;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureReport;
import org.opendsm.SignedAttributes;
import org.opendsm.SignedDocument;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/**
 * Custom attributes in the signatures of ASiC containers: CMS attributes with CAdES, signed XML
 * signature properties with XAdES; each signer's own, kept through another signature and extension.
 */
class AsicCustomAttributesTest {
  private static final TestPki PKI = TestPki.shared();
  private static final String MIME_TYPE_ATTRIBUTE = "0.4.0.1733.2.1";
  private final AsicService asic = AsicService.create(PKI.serviceSettings());

  static List<Arguments> containers() {
    return List.of(Arguments.of(SignatureFormat.CADES, AsicType.EXTENDED), Arguments.of(SignatureFormat.CADES, AsicType.SIMPLE),
        Arguments.of(SignatureFormat.XADES, AsicType.EXTENDED), Arguments.of(SignatureFormat.XADES, AsicType.SIMPLE));
  }

  private static CustomAttribute attribute(SignatureFormat format, String value) throws Exception {
    return format == SignatureFormat.CADES
        ? CustomAttribute.cms("1.3.6.1.4.1.55555.9.1", new DERUTF8String(value).getEncoded(ASN1Encoding.DER))
        : CustomAttribute.xml("<case xmlns=\"urn:example:bank\">" + value + "</case>");
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("containers")
  void eachSigner_hasItsOwnCustomAttributes_throughASecondSignatureAndExtension(SignatureFormat format, AsicType type)
      throws Exception {
    List<Document> files = type == AsicType.SIMPLE ? List.of(Samples.png()) : List.of(Samples.pdf(), Samples.png());
    CustomAttribute alices = attribute(format, "alice-4711");
    CustomAttribute bobs = attribute(format, "bob-4712");

    SignedDocument first = asic.sign(files, AsicOptions.builder().type(type).format(format)
        .signedAttributes(SignedAttributes.builder().custom(alices).build()).build(),
        PKI.newIdentity("Alice Custom", KeyType.EC_P256).signer());
    SignedDocument both = asic.addSignature(first.document(), AsicOptions.builder().type(type).format(format)
        .signedAttributes(SignedAttributes.builder().custom(bobs).build()).build(),
        PKI.newIdentity("Bob Custom", KeyType.EC_P256).signer());
    SignedDocument lta = asic.extend(both.document(), SignatureLevel.LTA);

    List<SignatureReport> signatures = assertValid(lta.document(), List.of(), PKI.trustSettings(), SignatureLevel.LTA)
        .signatures();
    Map<String, List<CustomAttribute>> bySigner = new HashMap<>();
    signatures.forEach(s -> bySigner.put(s.signer(), s.attributes().custom()));
    assertThat(bySigner).containsEntry("Alice Custom", List.of(alices)).containsEntry("Bob Custom", List.of(bobs));
  }

  @Test
  void asicS_withSeveralFiles_signsTheirPackage_withCustomAttributes() throws Exception {
    for (SignatureFormat format : List.of(SignatureFormat.CADES, SignatureFormat.XADES)) {
      CustomAttribute mine = attribute(format, "package");

      SignedDocument container = asic.sign(List.of(Samples.pdf(), Samples.png()), AsicOptions.builder()
          .type(AsicType.SIMPLE).format(format).signedAttributes(SignedAttributes.builder().custom(mine).build())
          .build(), PKI.identity(KeyType.EC_P256).signer());

      assertThat(assertValid(container.document(), List.of(), PKI.trustSettings(), SignatureLevel.B).signatures()
          .get(0).attributes().custom()).as(format.name()).containsExactly(mine);
    }
  }

  @Test
  void theCadesSignedAttributes_areDssOwnPlusTheCustomOnes() throws Exception {
    for (List<Document> files : List.of(List.of(Samples.png()), List.of(Samples.pdf(), Samples.png()))) {
     for (AsicType type : AsicType.values()) {
      var signer = PKI.identity(KeyType.EC_P256).signer();
      CustomAttribute mine = attribute(SignatureFormat.CADES, "same-otherwise");

      byte[] plain = signatureOf(asic.sign(files, AsicOptions.builder().type(type).build(), signer));
      byte[] custom = signatureOf(asic.sign(files, AsicOptions.builder().type(type)
          .signedAttributes(SignedAttributes.builder().custom(mine).build()).build(), signer));

      Map<String, Attribute> without = signedAttributes(plain);
      Map<String, Attribute> with = signedAttributes(custom);
      assertThat(with.keySet()).as(type.name()).containsAll(without.keySet()).contains("1.3.6.1.4.1.55555.9.1")
          .hasSize(without.size() + 1);
      assertThat(with.get(MIME_TYPE_ATTRIBUTE)).as("the mime-type attribute, " + type + ", " + files.size())
          .isEqualTo(without.get(MIME_TYPE_ATTRIBUTE));
     }
    }
  }

  @Test
  void anAttributeOfTheOtherForm_isRefused() {
    assertThatThrownBy(() -> AsicOptions.builder().format(SignatureFormat.XADES).signedAttributes(SignedAttributes
        .builder().custom(CustomAttribute.cms("1.3.6.1.4.1.55555.9.1", new byte[] {5, 0})).build()).build())
        .hasMessageContaining("XAdES signature are CustomAttribute.xml");
    assertThatThrownBy(() -> AsicOptions.builder().signedAttributes(SignedAttributes.builder()
        .custom(CustomAttribute.xml("<a/>")).build()).build())
        .hasMessageContaining("CAdES signature are CustomAttribute.cms");
  }

  private static byte[] signatureOf(SignedDocument container) throws Exception {
    try (ZipInputStream zip = new ZipInputStream(container.document().openStream())) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.getName().startsWith("META-INF/signature") && e.getName().endsWith(".p7s")) {
          return zip.readAllBytes();
        }
      }
    }
    throw new AssertionError("No CAdES signature in the container");
  }

  private static Map<String, Attribute> signedAttributes(byte[] cms) throws Exception {
    var signer = new CMSSignedData(cms).getSignerInfos().getSigners().iterator().next();
    Map<String, Attribute> out = new HashMap<>();
    var all = signer.getSignedAttributes().toASN1EncodableVector();
    for (int i = 0; i < all.size(); i++) {
      Attribute a = Attribute.getInstance(all.get(i));
      out.put(a.getAttrType().getId(), a);
    }
    return out;
  }
}
