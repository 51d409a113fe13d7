package org.opendsm.cades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.CommitmentType;
import org.opendsm.Document;
import org.opendsm.Indication;
import org.opendsm.PreparedSignature;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
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

/** Commitment type, claimed role, signer location, signature policy and content timestamp in CAdES. */
class CadesSignedAttributesTest {
  private static final TestPki PKI = TestPki.shared();
  private static final byte[] POLICY = "Signature policy of the Example Bank, version 3: loans need approval."
      .getBytes(StandardCharsets.UTF_8);
  private final CadesService cades = CadesService.create(PKI.serviceSettings());
  @TempDir Path dir;

  @Test
  void everyAttribute_isSigned_validated_andReported() throws Exception {
    try (DocumentServer policyServer = DocumentServer.serving(POLICY)) {
      SignedAttributes attributes = SignedAttributes.builder().commitment(CommitmentType.PROOF_OF_APPROVAL)
          .claimedRole("Loan officer").signerLocation(new SignerLocation("LU", "Luxembourg", "L-1855", null))
          .policy(SignaturePolicy.of("1.3.6.1.4.1.55555.3.1", POLICY, policyServer.uri("policy-v3.txt"))
              .withUserNotice("Loans are signed under policy v3"))
          .contentTimestamp(true).build();

      SignedDocument signed = cades.sign(Samples.png(), CadesOptions.builder().level(SignatureLevel.LT)
          .packaging(SignaturePackaging.DETACHED).signedAttributes(attributes).build(),
          PKI.identity(KeyType.EC_P256).signer());

      SignatureReport s = assertValid(signed.document(), List.of(Samples.png()), PKI.trustSettings(),
          SignatureLevel.LT).signatures().get(0);
      assertThat(s.attributes().commitmentTypes()).containsExactly("PROOF_OF_APPROVAL");
      assertThat(s.attributes().claimedRoles()).containsExactly("Loan officer");
      assertThat(s.attributes().signerLocation()).contains("Luxembourg", "LU", "L-1855");
      assertThat(s.attributes().policy().id()).isEqualTo("1.3.6.1.4.1.55555.3.1");
      assertThat(s.attributes().policy().identified()).as(String.valueOf(s.attributes().policy().problem())).isTrue();
      assertThat(s.attributes().policy().userNotice()).isEqualTo("Loans are signed under policy v3");
      assertThat(s.timestamps()).extracting(SignatureReport.TimestampReport::type).contains("CONTENT_TIMESTAMP");
      assertThat(Verifier.create(PKI.trustSettings()).verify(signed.document(), List.of(Samples.png())).toJson())
          .contains("\"commitmentTypes\" : [ \"PROOF_OF_APPROVAL\" ]", "\"identified\" : true");

      // An independent reader finds the attributes in the CMS: commitment-type-indication,
      // signer-location, signature-policy-identifier and the content timestamp.
      Path p7s = dir.resolve("signed.p7s");
      signed.writeTo(p7s);
      Files.write(dir.resolve("sample.png"), Samples.bytes("sample.png"));
      String printed = ExternalTools.run(dir, "openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in",
          p7s.toString()).output();
      assertThat(printed).contains("id-smime-aa-ets-commitmentType", "id-smime-aa-ets-signerLocation",
          "id-smime-aa-ets-sigPolicyId", "id-smime-aa-ets-contentTimestamp");
      String parsed = ExternalTools.run(dir, "openssl", "asn1parse", "-inform", "DER", "-in", p7s.toString()).output();
      assertThat(parsed).as("the commitment type's value").contains("id-smime-cti-ets-proofOfApproval");
      assertThat(parsed).as("the policy's qualifiers").contains("id-smime-spq-ets-sqt-unotice", "Loans are signed under policy v3");
      ExternalTools.Result verified = ExternalTools.run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER",
          "-in", p7s.toString(), "-content", dir.resolve("sample.png").toString(), "-CAfile",
          PKI.writeRootPem(dir.resolve("root.pem")).toString(), "-purpose", "any", "-out", "/dev/null");
      assertThat(verified.output()).contains("Verification successful");

      // The policy document changes at its URL: the signature no longer matches its policy.
      policyServer.replace("Signature policy, version 4".getBytes(StandardCharsets.UTF_8));
      SignatureReport changed = Verifier.create(PKI.trustSettings()).verify(signed.document(), List.of(Samples.png()))
          .signatures().get(0);
      assertThat(changed.attributes().policy().identified()).isFalse();
      assertThat(changed.attributes().policy().problem()).isNotBlank();
      assertThat(changed.indication()).isNotEqualTo(Indication.TOTAL_PASSED);
    }
  }

  @Test
  void attributes_andTheContentTimestamp_surviveTwoPhaseSigning() {
    SignedAttributes attributes = SignedAttributes.builder().commitment(CommitmentType.PROOF_OF_ORIGIN)
        .claimedRole("Clerk").contentTimestamp(true).build();
    var identity = PKI.identity(KeyType.EC_P256);
    Document png = Samples.png();
    CadesOptions options = CadesOptions.builder().signedAttributes(attributes).build();

    PreparedSignature prepared = cades.prepare(png, options, identity.signer().certificateChain());
    PreparedSignature back = PreparedSignature.fromJson(prepared.toJson());
    var value = identity.signer().signDigests(back.digestAlgorithm(), List.of(back.digest())).get(0);
    SignedDocument signed = cades.complete(png, back, value);

    SignatureReport s = assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B).signatures().get(0);
    assertThat(s.attributes().commitmentTypes()).containsExactly("PROOF_OF_ORIGIN");
    assertThat(s.attributes().claimedRoles()).containsExactly("Clerk");
    assertThat(s.timestamps()).extracting(SignatureReport.TimestampReport::type).containsExactly("CONTENT_TIMESTAMP");
  }

  @Test
  void noAttributes_reportsNone() {
    SignedDocument signed = cades.sign(Samples.png(), CadesOptions.builder().build(),
        PKI.identity(KeyType.EC_P256).signer());

    SignatureReport s = assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B).signatures().get(0);
    assertThat(s.attributes()).isEqualTo(SignatureReport.Attributes.NONE);
    assertThat(s.counterSignatureOf()).isNull();
  }

  @Test
  void contentHints_areSigned_reported_andReadBackWithOpenssl() throws Exception {
    SignedDocument signed = cades.sign(Samples.png(), CadesOptions.builder()
        .contentHints(ContentHints.of("Scanned identity card, front")).build(), PKI.identity(KeyType.EC_P256).signer());

    SignatureReport s = assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B).signatures().get(0);
    assertThat(s.attributes().contentHints()).contains("Scanned identity card, front");
    Path p7m = dir.resolve("hinted.p7m");
    signed.writeTo(p7m);
    String parsed = ExternalTools.run(dir, "openssl", "asn1parse", "-inform", "DER", "-in", p7m.toString()).output();
    assertThat(parsed).contains("id-smime-aa-contentHint", "Scanned identity card, front");
  }

  @Test
  void anAsn1PolicyDocument_isDigestedOverItsSignPolicyInfo_andIdentified() throws Exception {
    // A DER signature policy (ETSI TR 102 272): SEQUENCE { hash algorithm, signPolicyInfo, hash }.
    var info = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
        new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.55555.3.7"),
        new org.bouncycastle.asn1.DERGeneralizedTime("20260101000000Z"),
        new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName(
            new org.bouncycastle.asn1.x500.X500Name("CN=Example Policy Authority"))),
        new org.bouncycastle.asn1.DERUTF8String("Loans signed by the Example Bank")});
    var sha256 = new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
        org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256);
    byte[] der = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {sha256, info,
        new org.bouncycastle.asn1.DEROctetString(org.opendsm.DigestAlgorithm.SHA256.digest(info.getEncoded()))})
        .getEncoded();

    try (DocumentServer policyServer = DocumentServer.serving(der)) {
      SignaturePolicy policy = SignaturePolicy.of("1.3.6.1.4.1.55555.3.7", der, policyServer.uri("policy.der"));
      assertThat(policy.digest()).isEqualTo(org.opendsm.DigestAlgorithm.SHA256.digest(info.getEncoded()));
      SignedDocument signed = cades.sign(Samples.png(), CadesOptions.builder()
          .signedAttributes(SignedAttributes.builder().policy(policy).build()).build(),
          PKI.identity(KeyType.EC_P256).signer());

      SignatureReport s = assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B).signatures().get(0);
      assertThat(s.attributes().policy().identified()).as(String.valueOf(s.attributes().policy().problem())).isTrue();
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SignaturePolicy.of("1.2.3",
        "<SignaturePolicy/>".getBytes(StandardCharsets.UTF_8), null)).hasMessageContaining("XML signature policy");
  }
}
