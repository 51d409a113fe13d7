package org.opendsm.server.internal.signing;

import org.opendsm.server.internal.accounts.AuthenticationException;

import org.opendsm.Secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opendsm.DigestAlgorithm;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.server.internal.ServerFixture;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.vault.KeySpec;

class SigningServiceTest {
  @TempDir Path dir;
  private ServerFixture f;
  private SigningService signing;
  private final byte[] d1 = DigestAlgorithm.SHA256.digest("first document".getBytes());
  private final byte[] d2 = DigestAlgorithm.SHA256.digest("second document".getBytes());

  @BeforeEach
  void setUp() {
    f = new ServerFixture(dir);
    signing = new SigningService(f.db.jdbi(), f.accounts, f.vault, f.audit, f.clock);
  }

  @ParameterizedTest
  @CsvSource({"EC_P256,ECDSA_SHA256", "EC_P384,ECDSA_SHA384", "RSA_2048,RSA_SHA256", "RSA_3072,RSA_PSS_SHA256"})
  void authorizedDigests_areSigned_andVerifyAgainstTheCertificate(KeySpec spec, SignatureAlgorithm algorithm)
      throws Exception {
    byte[] seed = f.enrol("alice", spec);
    Accounts.Credential c = f.accounts.credentials("alice").get(0);
    List<byte[]> digests = List.of(algorithm.digestAlgorithm().digest(new byte[] {1}),
        algorithm.digestAlgorithm().digest(new byte[] {2}));
    var auth = signing.authorize("bank", "alice", c.id(), ServerFixture.PASSWORD, f.code(seed),
        algorithm.digestAlgorithm(), digests);

    List<byte[]> values = signing.signHash("bank", "alice", c.id(), auth.sad(), algorithm, digests);

    assertThat(values).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(org.opendsm.internal.DigestSignatures.verify(c.certificate().getPublicKey(), algorithm, digests.get(i), values.get(i))).isTrue();
    }
    assertThat(f.audit.verify()).isEmpty();
  }

  @Test
  void afterAPasswordChange_theKeySignsWithTheNewPassword_andNoLongerWithTheOld() throws Exception {
    byte[] seed = f.enrol("alice", KeySpec.EC_P256);
    Accounts.Credential c = f.accounts.credentials("alice").get(0);
    Secret next = Secret.of("a brand new signing passphrase");
    f.nextStep();
    f.accounts.changePassword("alice", ServerFixture.PASSWORD, next, f.code(seed));

    f.nextStep();
    assertThatThrownBy(() -> signing.authorize("bank", "alice", c.id(), ServerFixture.PASSWORD, f.code(seed),
        DigestAlgorithm.SHA256, List.of(d1))).isInstanceOf(AuthenticationException.class);
    var auth = signing.authorize("bank", "alice", c.id(), next, f.code(seed), DigestAlgorithm.SHA256, List.of(d1));
    assertThat(auth.sad()).isNotBlank();
    byte[] value = signing.signHash("bank", "alice", c.id(), auth.sad(), SignatureAlgorithm.ECDSA_SHA256, List.of(d1))
        .get(0);
    assertThat(org.opendsm.internal.DigestSignatures.verify(c.certificate().getPublicKey(),
        SignatureAlgorithm.ECDSA_SHA256, d1, value)).isTrue();
    assertThat(f.audit.verify()).isEmpty();
  }

  @Test
  void aPasswordBreakingThePolicy_changesNothing() throws Exception {
    byte[] seed = f.enrol("alice", KeySpec.EC_P256);
    f.nextStep();
    assertThatThrownBy(() -> f.accounts.changePassword("alice", ServerFixture.PASSWORD, Secret.of("short"),
        f.code(seed))).isInstanceOf(IllegalArgumentException.class);
    Accounts.Credential c = f.accounts.credentials("alice").get(0);
    var auth = signing.authorize("bank", "alice", c.id(), ServerFixture.PASSWORD, f.code(seed), DigestAlgorithm.SHA256,
        List.of(d1));
    assertThat(signing.signHash("bank", "alice", c.id(), auth.sad(), SignatureAlgorithm.ECDSA_SHA256, List.of(d1)))
        .hasSize(1);
  }

  @Test
  void hashNotInTheSad_isRefused_andNothingIsConsumed() throws Exception {
    Authorized a = authorize(List.of(d1));

    assertThatThrownBy(() -> signing.signHash("bank", "alice", a.credential, a.sad, SignatureAlgorithm.ECDSA_SHA256, List.of(d2)))
        .isInstanceOf(SigningRefused.class).hasMessage("Hash is not authorized by the SAD");
    assertThat(signing.signHash("bank", "alice", a.credential, a.sad, SignatureAlgorithm.ECDSA_SHA256, List.of(d1))).hasSize(1);
  }

  @Test
  void sad_isDeadOnceEveryDigestIsSigned() throws Exception {
    Authorized a = authorize(List.of(d1));
    signing.signHash("bank", "alice", a.credential, a.sad, SignatureAlgorithm.ECDSA_SHA256, List.of(d1));

    assertThatThrownBy(() -> signing.signHash("bank", "alice", a.credential, a.sad, SignatureAlgorithm.ECDSA_SHA256, List.of(d1)))
        .isInstanceOf(SigningRefused.class).hasMessage("SAD already used");
  }

  @Test
  void sameDigestTwice_needsTwoAuthorisedOccurrences() throws Exception {
    Authorized a = authorize(List.of(d1, d2));

    assertThatThrownBy(() -> signing.signHash("bank", "alice", a.credential, a.sad, SignatureAlgorithm.ECDSA_SHA256, List.of(d1, d1)))
        .isInstanceOf(SigningRefused.class).hasMessage("Hash is not authorized by the SAD");
  }

  @Test
  void extendTransaction_givesANewSadForNewDigests_andSpendsTheOldOne() throws Exception {
    Authorized a = authorize(List.of(d1));

    var extended = signing.extend("bank", "alice", a.credential, a.sad, DigestAlgorithm.SHA256, List.of(d2));

    assertThat(signing.signHash("bank", "alice", a.credential, extended.sad(), SignatureAlgorithm.ECDSA_SHA256, List.of(d2)))
        .hasSize(1);
    assertThatThrownBy(() -> signing.signHash("bank", "alice", a.credential, a.sad, SignatureAlgorithm.ECDSA_SHA256, List.of(d1)))
        .isInstanceOf(SigningRefused.class).hasMessage("SAD already used");
  }

  @Test
  void expiredSad_isRefused() throws Exception {
    Authorized a = authorize(List.of(d1));
    f.clock.advance(SigningService.SAD_LIFETIME.plus(Duration.ofSeconds(1)));

    assertThatThrownBy(() -> signing.signHash("bank", "alice", a.credential, a.sad, SignatureAlgorithm.ECDSA_SHA256, List.of(d1)))
        .isInstanceOf(SigningRefused.class).hasMessage("SAD expired");
  }

  @Test
  void sadOfAnotherClient_orAForgedSad_isRefused() throws Exception {
    Authorized a = authorize(List.of(d1));

    assertThatThrownBy(() -> signing.signHash("other-asp", "alice", a.credential, a.sad, SignatureAlgorithm.ECDSA_SHA256, List.of(d1)))
        .isInstanceOf(SigningRefused.class).hasMessage("Invalid SAD");
    assertThatThrownBy(() -> signing.signHash("bank", "alice", a.credential, "A".repeat(43), SignatureAlgorithm.ECDSA_SHA256, List.of(d1)))
        .isInstanceOf(SigningRefused.class).hasMessage("Invalid SAD");
  }

  @Test
  void anotherUsersCredential_isReportedAsUnknown() throws Exception {
    Authorized a = authorize(List.of(d1));
    byte[] bobSeed = f.enrol("bob", KeySpec.EC_P256);

    assertThatThrownBy(() -> signing.authorize("bank", "bob", a.credential, ServerFixture.PASSWORD, f.code(bobSeed),
        DigestAlgorithm.SHA256, List.of(d1)))
        .isInstanceOf(SigningRefused.class).hasMessage("Invalid parameter credentialID");
  }

  @Test
  void wrongDigestLength_isRefused() throws Exception {
    byte[] seed = f.enrol("alice", KeySpec.EC_P256);
    String credential = f.accounts.credentials("alice").get(0).id();

    assertThatThrownBy(() -> signing.authorize("bank", "alice", credential, ServerFixture.PASSWORD, f.code(seed),
        DigestAlgorithm.SHA256, List.of(new byte[20])))
        .isInstanceOf(SigningRefused.class).hasMessage("Invalid digest value length");
  }

  private record Authorized(String credential, String sad) {}

  private Authorized authorize(List<byte[]> digests) throws Exception {
    byte[] seed = f.enrol("alice", KeySpec.EC_P256);
    String credential = f.accounts.credentials("alice").get(0).id();
    var auth = signing.authorize("bank", "alice", credential, ServerFixture.PASSWORD, f.code(seed),
        DigestAlgorithm.SHA256, digests);
    return new Authorized(credential, auth.sad());
  }
}
