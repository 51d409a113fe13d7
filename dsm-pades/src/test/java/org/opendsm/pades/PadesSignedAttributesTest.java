package org.opendsm.pades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.CommitmentType;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePolicy;
import org.opendsm.SignatureReport;
import org.opendsm.SignedAttributes;
import org.opendsm.SignedDocument;
import org.opendsm.SignerLocation;
import org.opendsm.testing.DocumentServer;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/** Commitment type, claimed role, signature policy and content timestamp in PAdES. */
class PadesSignedAttributesTest {
  private static final TestPki PKI = TestPki.shared();
  private static final byte[] POLICY = "Contract signing policy".getBytes(StandardCharsets.UTF_8);
  private final PadesService pades = PadesService.create(PKI.serviceSettings());
  @TempDir Path dir;

  @Test
  void attributes_areSigned_validated_reported_andPdfsigAccepts() throws Exception {
    try (DocumentServer policyServer = DocumentServer.serving(POLICY)) {
      SignedAttributes attributes = SignedAttributes.builder().commitment(CommitmentType.PROOF_OF_APPROVAL)
          .claimedRole("Managing director")
          .policy(SignaturePolicy.of("1.3.6.1.4.1.55555.3.3", POLICY, policyServer.uri("contracts.txt")))
          .contentTimestamp(true).build();

      SignedDocument signed = pades.sign(Samples.pdf(), PadesOptions.builder().level(SignatureLevel.LT)
          .location("Luxembourg").signedAttributes(attributes).build(), PKI.identity(KeyType.EC_P256).signer());

      SignatureReport s = assertValid(signed.document(), List.of(), PKI.trustSettings(), SignatureLevel.LT)
          .signatures().get(0);
      assertThat(s.attributes().commitmentTypes()).containsExactly("PROOF_OF_APPROVAL");
      assertThat(s.attributes().claimedRoles()).containsExactly("Managing director");
      assertThat(s.attributes().policy().identified()).as(String.valueOf(s.attributes().policy().problem())).isTrue();
      assertThat(s.timestamps()).extracting(SignatureReport.TimestampReport::type).contains("CONTENT_TIMESTAMP");

      IndependentPdfCheck.assertAccepted(signed.bytes(), 1, dir);

      // The policy document changes at its URL: the signature no longer matches its policy.
      policyServer.replace("Contract policy, 2027 edition".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      SignatureReport changed = org.opendsm.Verifier.create(PKI.trustSettings()).verify(signed.document())
          .signatures().get(0);
      assertThat(changed.attributes().policy().identified()).isFalse();
      assertThat(changed.indication()).isNotEqualTo(org.opendsm.Indication.TOTAL_PASSED);
    }
  }

  @Test
  void aPolicyThatCannotBeFetched_isReported_withoutFailingTheSignature() throws Exception {
    java.net.URI gone;
    try (DocumentServer policyServer = DocumentServer.serving(POLICY)) {
      gone = policyServer.uri("contracts.txt");
    } // closed: nothing answers at that address any more
    SignedAttributes attributes = SignedAttributes.builder()
        .policy(SignaturePolicy.of("1.3.6.1.4.1.55555.3.3", POLICY, gone)).build();

    SignedDocument signed = pades.sign(Samples.pdf(), PadesOptions.builder().signedAttributes(attributes).build(),
        PKI.identity(KeyType.EC_P256).signer());

    SignatureReport s = assertValid(signed.document(), List.of(), PKI.trustSettings(), SignatureLevel.B)
        .signatures().get(0);
    assertThat(s.attributes().policy().identified()).isFalse();
    assertThat(s.attributes().policy().url()).isEqualTo(gone.toString());
    assertThat(s.attributes().policy().problem()).isNotBlank();
  }

  @Test
  void aSignerLocationAttribute_orACommitmentWithAReason_isRefusedWithWhatToDo() {
    SignedAttributes withPlace = SignedAttributes.builder().signerLocation(SignerLocation.of("LU", "Luxembourg"))
        .build();
    SignedAttributes withCommitment = SignedAttributes.builder().commitment(CommitmentType.PROOF_OF_APPROVAL).build();

    assertThatThrownBy(() -> PadesOptions.builder().signedAttributes(withPlace).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("location(...)");
    assertThatThrownBy(() -> PadesOptions.builder().reason("Approved").signedAttributes(withCommitment).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("either a commitment type or a reason");
  }
}
