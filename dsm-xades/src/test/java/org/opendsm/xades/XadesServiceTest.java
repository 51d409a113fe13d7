package org.opendsm.xades;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendsm.testing.SignatureAssertions.assertFailed;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignedDocument;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

class XadesServiceTest {
  private static final TestPki PKI = TestPki.shared();
  private final XadesService xades = XadesService.create(PKI.serviceSettings());

  static List<Arguments> levelsAndPackagings() {
    List<Arguments> out = new ArrayList<>();
    for (SignatureLevel level : SignatureLevel.values()) {
      for (SignaturePackaging packaging : SignaturePackaging.values()) {
        out.add(Arguments.of(level, packaging));
      }
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("levelsAndPackagings")
  void sign_xml_reachesLevel(SignatureLevel level, SignaturePackaging packaging) {
    Document xml = Samples.xml();
    SignedDocument signed = xades.sign(xml,
        XadesOptions.builder().level(level).packaging(packaging).build(), PKI.identity(KeyType.EC_P256).signer());

    List<Document> content = packaging == SignaturePackaging.DETACHED ? List.of(xml) : List.of();
    assertValid(signed.document(), content, PKI.trustSettings(), level);
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void sign_withEachKeyType_isValid(KeyType keyType) {
    SignedDocument signed = xades.sign(Samples.xml(), XadesOptions.builder().build(), PKI.identity(keyType).signer());

    assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B);
  }

  @Test
  void enveloped_withTamperedContent_fails() {
    SignedDocument signed = xades.sign(Samples.xml(), XadesOptions.builder().build(),
        PKI.identity(KeyType.EC_P256).signer());
    String tampered = new String(signed.bytes(), StandardCharsets.UTF_8).replace("25000.00", "95000.00");

    assertFailed(Document.of(tampered.getBytes(StandardCharsets.UTF_8), "tampered.xml"), List.of(), PKI.trustSettings());
  }

  @Test
  void extend_envelopedFromBToLta_reachesLta() {
    SignedDocument b = xades.sign(Samples.xml(), XadesOptions.builder().build(), PKI.identity(KeyType.RSA_2048).signer());

    assertValid(xades.extend(b.document(), SignatureLevel.LTA).document(), PKI.trustSettings(), SignatureLevel.LTA);
  }

  @Test
  void prepareThenComplete_afterJsonRoundTrip_isValid() {
    org.opendsm.testing.Identity id = PKI.identity(KeyType.EC_P384);
    org.opendsm.PreparedSignature prepared = xades.prepare(Samples.xml(),
        XadesOptions.builder().level(SignatureLevel.T).build(), id.chain());

    org.opendsm.PreparedSignature restored = org.opendsm.PreparedSignature.fromJson(prepared.toJson());
    org.opendsm.SignatureValue value = id.signer().signDigests(restored.digestAlgorithm(), List.of(restored.digest())).get(0);

    assertValid(xades.complete(Samples.xml(), restored, value).document(), PKI.trustSettings(), SignatureLevel.T);
  }

  @Test
  void complete_withValueOverOtherData_isRefused() {
    org.opendsm.testing.Identity id = PKI.identity(KeyType.RSA_2048);
    org.opendsm.PreparedSignature prepared = xades.prepare(Samples.xml(), XadesOptions.builder().build(), id.chain());
    org.opendsm.SignatureValue wrong = id.signer().signDigests(org.opendsm.DigestAlgorithm.SHA256,
        List.of(new byte[32])).get(0);

    assertThatThrownBy(() -> xades.complete(Samples.xml(), prepared, wrong))
        .isInstanceOf(org.opendsm.InvalidSignatureValueException.class)
        .hasMessageEndingWith("; the document was not modified");
  }

  @Test
  void enveloped_withNonXml_isRefusedWithAlternatives() {
    assertThatThrownBy(() -> xades.sign(Samples.png(), XadesOptions.builder().build(), PKI.identity(KeyType.EC_P256).signer()))
        .isInstanceOf(InvalidDocumentException.class)
        .hasMessage("sample.png is not XML, so it cannot hold an enveloped signature; sign it ENVELOPING or DETACHED");
  }

  @Test
  void enveloped_withMalformedXml_isRefusedWithAlternatives() {
    Document broken = Document.of("<invoice><unclosed></invoice>".getBytes(StandardCharsets.UTF_8), "broken.xml");

    assertThatThrownBy(() -> xades.sign(broken, XadesOptions.builder().build(), PKI.identity(KeyType.EC_P256).signer()))
        .isInstanceOf(InvalidDocumentException.class)
        .hasMessageStartingWith("broken.xml is not well-formed XML, so it cannot hold an enveloped signature (")
        .hasMessageEndingWith("); sign it ENVELOPING or DETACHED");
  }

  @Test
  void aRelativeNamespaceUri_isRefusedAsBadInput() {
    // Found by DocumentFuzzTest: canonical XML cannot process a relative namespace URI.
    Document relative = Document.of("<invoice xmlns=\"uroice\"><total>1</total></invoice>"
        .getBytes(StandardCharsets.UTF_8), "relative.xml");

    assertThatThrownBy(() -> xades.sign(relative, XadesOptions.builder().build(), PKI.identity(KeyType.EC_P256).signer()))
        .isInstanceOf(InvalidDocumentException.class)
        .hasMessageStartingWith("relative.xml declares a relative namespace URI (")
        .hasMessageEndingWith("): canonical XML cannot sign it; use an absolute URI");
  }
}
