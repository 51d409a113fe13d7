package org.opendsm.pades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.InvalidSignatureValueException;
import org.opendsm.PreparedSignature;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureValue;
import org.opendsm.SignedDocument;
import org.opendsm.Signer;
import org.opendsm.testing.Identity;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

class PadesServiceTest {
  private static final TestPki PKI = TestPki.shared();
  private final PadesService pades = PadesService.create(PKI.serviceSettings());

  @ParameterizedTest
  @EnumSource(SignatureLevel.class)
  void sign_atEachLevel_reachesThatLevel(SignatureLevel level) {
    SignedDocument signed = pades.sign(Samples.pdf(),
        PadesOptions.builder().level(level).reason("Test").location("Luxembourg").build(),
        PKI.identity(KeyType.EC_P256).signer());

    assertThat(signed.level()).isEqualTo(level);
    assertValid(signed.document(), PKI.trustSettings(), level);
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void sign_withEachKeyType_isValid(KeyType keyType) {
    SignedDocument signed = pades.sign(Samples.pdf(), PadesOptions.builder().build(),
        PKI.identity(keyType).signer());

    assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B);
  }

  @Test
  void prepareThenComplete_afterJsonRoundTrip_isValid() {
    Identity id = PKI.identity(KeyType.RSA_2048);
    Document pdf = Samples.pdf();
    PreparedSignature prepared = pades.prepare(pdf, PadesOptions.builder().build(), id.chain());

    PreparedSignature restored = PreparedSignature.fromJson(prepared.toJson());
    SignatureValue value = id.signer().signDigests(restored.digestAlgorithm(), List.of(restored.digest())).get(0);
    SignedDocument signed = pades.complete(Samples.pdf(), restored, value);

    assertThat(restored).isEqualTo(prepared);
    assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B);
  }

  @Test
  void complete_withValueForOtherData_isRefused() {
    Identity id = PKI.identity(KeyType.EC_P256);
    Document pdf = Samples.pdf();
    PreparedSignature prepared = pades.prepare(pdf, PadesOptions.builder().build(), id.chain());
    SignatureValue wrong = id.signer().signDigests(DigestAlgorithm.SHA256,
        List.of(DigestAlgorithm.SHA256.digest(new byte[] {1, 2, 3}))).get(0);

    assertThatThrownBy(() -> pades.complete(pdf, prepared, wrong))
        .isInstanceOf(InvalidSignatureValueException.class)
        .hasMessageContaining("does not verify against the certificate of CN=Test Signer ec-p256,O=OpenDSM Test PKI,C=LU")
        .hasMessageEndingWith("the document was not modified");
  }

  @Test
  void complete_withAnotherDocument_isRefused() {
    Identity id = PKI.identity(KeyType.EC_P256);
    PreparedSignature prepared = pades.prepare(Samples.pdf(), PadesOptions.builder().build(), id.chain());
    SignatureValue value = id.signer().signDigests(DigestAlgorithm.SHA256, List.of(prepared.digest())).get(0);
    Document other = pades.sign(Samples.pdf(), PadesOptions.builder().build(), id.signer()).document();

    assertThatThrownBy(() -> pades.complete(other, prepared, value))
        .isInstanceOf(InvalidDocumentException.class)
        .hasMessage("The document 'sample.pdf' is not the one this signature was prepared for ('sample.pdf'): their SHA-256 differ");
  }

  @Test
  void signAll_signsEveryDocumentWithOneSignerCall() {
    CountingSigner signer = new CountingSigner(PKI.identity(KeyType.EC_P256).signer());
    List<Document> pdfs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      pdfs.add(Samples.pdf().withName("doc" + i + ".pdf", org.opendsm.MediaType.PDF));
    }

    List<SignedDocument> signed = pades.signAll(pdfs, PadesOptions.builder().build(), signer);

    assertThat(signer.calls.get()).isEqualTo(1);
    assertThat(signed).hasSize(5);
    signed.forEach(s -> assertValid(s.document(), PKI.trustSettings(), SignatureLevel.B));
  }

  @Test
  void sign_twice_keepsTheFirstSignatureValid() {
    Signer signer = PKI.identity(KeyType.EC_P256).signer();
    SignedDocument once = pades.sign(Samples.pdf(), PadesOptions.builder().build(), signer);
    SignedDocument twice = pades.sign(Document.of(once.bytes(), "twice.pdf"),
        PadesOptions.builder().build(), PKI.identity(KeyType.RSA_2048).signer());

    assertThat(assertValid(twice.document(), PKI.trustSettings(), SignatureLevel.B).signatures()).hasSize(2);
  }

  @Test
  void extend_fromBToLta_reachesLta() {
    SignedDocument b = pades.sign(Samples.pdf(), PadesOptions.builder().build(),
        PKI.identity(KeyType.RSA_2048).signer());

    SignedDocument lta = pades.extend(b.document(), SignatureLevel.LTA);

    assertValid(lta.document(), PKI.trustSettings(), SignatureLevel.LTA);
  }

  @Test
  void prepare_withNonPdf_isRefused() {
    assertThatThrownBy(() -> pades.prepare(Samples.xml(), PadesOptions.builder().build(),
        PKI.identity(KeyType.EC_P256).chain()))
        .isInstanceOf(InvalidDocumentException.class)
        .hasMessage("sample.xml is not a PDF (no %PDF- header)");
  }

  @Test
  void prepare_atLevelT_withoutTimestampSource_saysWhatToConfigure() {
    PadesService noTsa = PadesService.create(org.opendsm.ServiceSettings.defaults());

    assertThatThrownBy(() -> noTsa.prepare(Samples.pdf(),
        PadesOptions.builder().level(SignatureLevel.T).build(), PKI.identity(KeyType.EC_P256).chain()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Level T needs a timestamp source: configure ServiceSettings.builder().timestampSource(...)");
  }

  /** Counts signDigests calls. */
  static final class CountingSigner implements Signer {
    final Signer delegate;
    final AtomicInteger calls = new AtomicInteger();

    CountingSigner(Signer delegate) {
      this.delegate = delegate;
    }

    @Override
    public List<java.security.cert.X509Certificate> certificateChain() {
      return delegate.certificateChain();
    }

    @Override
    public SignatureAlgorithm signatureAlgorithm(DigestAlgorithm d) {
      return delegate.signatureAlgorithm(d);
    }

    @Override
    public List<SignatureValue> signDigests(DigestAlgorithm d, List<byte[]> digests) {
      calls.incrementAndGet();
      return delegate.signDigests(d, digests);
    }
  }
}
