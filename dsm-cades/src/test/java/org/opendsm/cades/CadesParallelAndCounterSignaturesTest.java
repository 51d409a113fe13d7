package org.opendsm.cades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignatureReport;
import org.opendsm.SignedDocument;
import org.opendsm.VerificationReport;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/** Several signers on one CMS: side by side (parallel) and one confirming another (counter-signature). */
class CadesParallelAndCounterSignaturesTest {
  private static final TestPki PKI = TestPki.shared();
  private final CadesService cades = CadesService.create(PKI.serviceSettings());
  @TempDir Path dir;

  @Test
  void aParallelSignature_onAnEnvelopingCms_leavesTheFirstValid_andOpensslVerifiesBoth() throws Exception {
    var alice = PKI.newIdentity("Alice Parallel", KeyType.EC_P256);
    var bob = PKI.newIdentity("Bob Parallel", KeyType.RSA_2048);
    SignedDocument first = cades.sign(Samples.png(), CadesOptions.builder().build(), alice.signer());

    SignedDocument both = cades.addSignature(first.document(), List.of(), CadesOptions.builder().build(), bob.signer());

    VerificationReport report = assertValid(both.document(), List.of(), PKI.trustSettings(), SignatureLevel.B);
    assertThat(report.signatures()).extracting(SignatureReport::signer)
        .containsExactlyInAnyOrder("Alice Parallel", "Bob Parallel");
    assertThat(report.signatures()).allMatch(s -> s.counterSignatureOf() == null);
    Path p7m = dir.resolve("two-signers.p7m");
    both.writeTo(p7m);
    ExternalTools.Result openssl = ExternalTools.run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER",
        "-in", p7m.toString(), "-CAfile", PKI.writeRootPem(dir.resolve("root.pem")).toString(), "-certfile",
        issuingPem(), "-purpose", "any", "-out", dir.resolve("content.png").toString());
    assertThat(openssl.output()).contains("Verification successful");
    assertThat(Files.readAllBytes(dir.resolve("content.png"))).isEqualTo(Samples.bytes("sample.png"));
  }

  @Test
  void aParallelSignature_onADetachedCms_andBothExtendToLt() {
    var alice = PKI.newIdentity("Alice Detached", KeyType.EC_P256);
    var bob = PKI.newIdentity("Bob Detached", KeyType.EC_P384);
    CadesOptions detached = CadesOptions.builder().packaging(SignaturePackaging.DETACHED).build();
    SignedDocument first = cades.sign(Samples.png(), detached, alice.signer());

    SignedDocument both = cades.addSignature(first.document(), List.of(Samples.png()), detached, bob.signer());
    SignedDocument lt = cades.extend(both.document(), SignatureLevel.LT, List.of(Samples.png()));

    assertThat(assertValid(lt.document(), List.of(Samples.png()), PKI.trustSettings(), SignatureLevel.LT).signatures())
        .extracting(SignatureReport::signer).containsExactlyInAnyOrder("Alice Detached", "Bob Detached");
  }

  @Test
  void aCounterSignature_confirmsOneSignature_andIsReportedAsSuch() throws Exception {
    var client = PKI.newIdentity("Client Signer", KeyType.EC_P256);
    var notary = PKI.newIdentity("Notary Counter", KeyType.EC_P256);
    SignedDocument signed = cades.sign(Samples.png(), CadesOptions.builder().build(), client.signer());
    String clientSignature = assertValid(signed.document(), List.of(), PKI.trustSettings(), SignatureLevel.B)
        .signatures().get(0).id();

    SignedDocument countersigned = cades.counterSign(signed.document(), clientSignature, notary.signer());

    VerificationReport report = assertValid(countersigned.document(), List.of(), PKI.trustSettings(),
        SignatureLevel.B);
    assertThat(report.signatures()).hasSize(2);
    SignatureReport counter = report.signatures().stream().filter(s -> s.counterSignatureOf() != null).findFirst()
        .orElseThrow();
    assertThat(counter.signer()).isEqualTo("Notary Counter");
    assertThat(counter.counterSignatureOf()).isEqualTo(clientSignature);
    Path p7m = dir.resolve("countersigned.p7m");
    countersigned.writeTo(p7m);
    assertThat(ExternalTools.run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in",
        p7m.toString(), "-CAfile", PKI.writeRootPem(dir.resolve("root.pem")).toString(), "-certfile", issuingPem(),
        "-purpose", "any", "-out", "/dev/null").output()).contains("Verification successful");
    String printed = ExternalTools.run(dir, "openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in",
        p7m.toString()).output();
    assertThat(printed).contains("countersignature");
  }

  @Test
  void counterSigning_anUnknownSignature_orANonCmsFile_isRefusedClearly() {
    SignedDocument signed = cades.sign(Samples.png(), CadesOptions.builder().build(),
        PKI.identity(KeyType.EC_P256).signer());

    assertThatThrownBy(() -> cades.counterSign(signed.document(), "S-NOPE", PKI.identity(KeyType.EC_P256).signer()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No signature 'S-NOPE'")
        .hasMessageContaining("there are [S-");
    assertThatThrownBy(() -> cades.addSignature(Samples.png(), List.of(), CadesOptions.builder().build(),
        PKI.identity(KeyType.EC_P256).signer())).isInstanceOf(InvalidDocumentException.class)
        .hasMessageContaining("holds no CAdES signature");
  }

  private String issuingPem() throws Exception {
    Path file = dir.resolve("issuing.pem");
    Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes())
        .encodeToString(PKI.issuingCaCertificate().getEncoded()) + "\n-----END CERTIFICATE-----\n");
    return file.toString();
  }

  @Test
  void aParallelSignature_overOtherContent_orOnAPdf_isRefusedBeforeSigning() {
    var alice = PKI.identity(KeyType.EC_P256);
    CadesOptions detached = CadesOptions.builder().packaging(SignaturePackaging.DETACHED).build();
    SignedDocument p7s = cades.sign(Samples.png(), detached, alice.signer());

    assertThatThrownBy(() -> cades.addSignature(p7s.document(), List.of(Samples.pdf()), detached, alice.signer()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the content");
    assertThatThrownBy(() -> cades.addSignature(p7s.document(), List.of(Samples.png(), Samples.pdf()), detached,
        alice.signer())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one content");
    assertThatThrownBy(() -> cades.addSignature(Samples.pdf(), List.of(), CadesOptions.builder().build(),
        alice.signer())).isInstanceOf(InvalidDocumentException.class).hasMessageContaining("holds no CAdES signature");
  }

  @Test
  void aCounterSignature_cannotItselfBeCounterSigned_andSaysSo() {
    SignedDocument signed = cades.sign(Samples.png(), CadesOptions.builder().build(),
        PKI.newIdentity("First Signer", KeyType.EC_P256).signer());
    String first = assertValid(signed.document(), List.of(), PKI.trustSettings(), SignatureLevel.B).signatures().get(0)
        .id();
    SignedDocument once = cades.counterSign(signed.document(), first,
        PKI.newIdentity("Counter Signer", KeyType.EC_P256).signer());
    String counter = assertValid(once.document(), List.of(), PKI.trustSettings(), SignatureLevel.B).signatures()
        .stream().filter(s -> first.equals(s.counterSignatureOf())).findFirst().orElseThrow().id();

    assertThatThrownBy(() -> cades.counterSign(once.document(), counter,
        PKI.newIdentity("Second Counter Signer", KeyType.EC_P256).signer()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot themselves be counter-signed");
  }
}
