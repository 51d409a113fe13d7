package org.opendsm.server.internal.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.Secret;
import org.opendsm.server.internal.ServerFixture;
import org.opendsm.server.internal.vault.KeySpec;

class AccountsTest {
  @TempDir Path dir;
  private ServerFixture f;

  @BeforeEach
  void setUp() {
    f = new ServerFixture(dir);
  }

  @Test
  void enrolment_issuesACertificateChainedToTheServerRoot() throws Exception {
    f.enrol("alice", KeySpec.EC_P256);

    Accounts.Credential c = f.accounts.credentials("alice").get(0);
    assertThat(c.certificate().getSubjectX500Principal().getName()).contains("CN=Test User alice");
    assertThat(c.certificate().getKeyUsage()[1]).as("nonRepudiation").isTrue();
    c.certificate().verify(f.ca.issuing().certificate().getPublicKey());
    f.ca.issuing().certificate().verify(f.ca.root().certificate().getPublicKey());
    assertThat(f.audit.verify()).isEmpty();
  }

  @Test
  void enrolmentCode_worksOnce() throws Exception {
    Accounts.Enrolment e = f.accounts.createUser("admin", "bob", "Bob", Accounts.AuthMode.EXPLICIT);
    f.accounts.beginEnrolment(e.code(), ServerFixture.PASSWORD);
    f.enrolWithCode(e.code());

    assertThatThrownBy(() -> f.accounts.beginEnrolment(e.code(), ServerFixture.PASSWORD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("This enrolment code is unknown, used or expired; ask your administrator for a new one");
  }

  @Test
  void commonOrShortPassword_isRefusedWithTheRule() {
    Accounts.Enrolment e = f.accounts.createUser("admin", "carol", "Carol", Accounts.AuthMode.EXPLICIT);

    assertThatThrownBy(() -> f.accounts.beginEnrolment(e.code(), Secret.of("short")))
        .hasMessage("Choose a password of at least 10 characters");
    assertThatThrownBy(() -> f.accounts.beginEnrolment(e.code(), Secret.of("Password123")))
        .hasMessage("This password is among the most common ones; choose another");
  }

  @Test
  void authenticate_withBothFactors_succeeds_andTheCodeCannotBeReplayed() throws Exception {
    byte[] seed = f.enrol("alice", KeySpec.EC_P256);
    String code = f.code(seed);

    f.accounts.authenticate("alice", ServerFixture.PASSWORD, code, "test").close();

    assertThatThrownBy(() -> f.accounts.authenticate("alice", ServerFixture.PASSWORD, code, "test"))
        .isInstanceOf(AuthenticationException.class).hasMessage("Invalid password or one-time code");
  }

  @Test
  void unknownUser_wrongPassword_andWrongCode_lookTheSame() throws Exception {
    byte[] seed = f.enrol("alice", KeySpec.EC_P256);

    String unknown = failureMessage(() -> f.accounts.authenticate("nobody", ServerFixture.PASSWORD, f.code(seed), "t"));
    String wrongPassword = failureMessage(() -> f.accounts.authenticate("alice", Secret.of("not the password"), f.code(seed), "t"));
    String wrongCode = failureMessage(() -> f.accounts.authenticate("alice", ServerFixture.PASSWORD, "000000", "t"));

    assertThat(unknown).isEqualTo(wrongPassword).isEqualTo(wrongCode).isEqualTo("Invalid password or one-time code");
  }

  @Test
  void afterAMasterKeyRotation_signInUpgradesTheUser_andUnknownUsersStillFailPlainly() throws Exception {
    byte[] seed = f.enrol("alice", KeySpec.EC_P256);
    f.master.addGeneration(2);
    f.master.use(2);

    f.accounts.authenticate("alice", ServerFixture.PASSWORD, f.code(seed), "t").close(); // moves alice to 2
    f.nextStep();
    f.master.removeGeneration(1);

    // Nothing of alice's needs generation 1 any more, and the unknown-user path never did.
    f.accounts.authenticate("alice", ServerFixture.PASSWORD, f.code(seed), "t").close();
    f.nextStep();
    assertThat(failureMessage(() -> f.accounts.authenticate("nobody", ServerFixture.PASSWORD, f.code(seed), "t")))
        .isEqualTo("Invalid password or one-time code");
  }

  @Test
  void fiveFailures_lockTheCredential_evenForTheRightFactors_untilTheBackOffEnds() throws Exception {
    byte[] seed = f.enrol("alice", KeySpec.EC_P256);
    for (int i = 0; i < Accounts.MAX_FAILURES - 1; i++) {
      failureMessage(() -> f.accounts.authenticate("alice", Secret.of("wrong password!"), f.code(seed), "t"));
    }
    assertThat(failureMessage(() -> f.accounts.authenticate("alice", Secret.of("wrong password!"), f.code(seed), "t")))
        .isEqualTo("Credential locked: too many failed attempts, try again later");

    assertThat(failureMessage(() -> f.accounts.authenticate("alice", ServerFixture.PASSWORD, f.code(seed), "t")))
        .isEqualTo("Credential locked: too many failed attempts, try again later");

    f.clock.advance(Duration.ofSeconds(31));
    f.accounts.authenticate("alice", ServerFixture.PASSWORD, f.code(seed), "t").close();
  }

  @Test
  void unknownUser_locksLikeARealOne_soALockRevealsNothing() {
    for (int i = 0; i < Accounts.MAX_FAILURES - 1; i++) {
      assertThat(failureMessage(() -> f.accounts.authenticate("ghost", ServerFixture.PASSWORD, "123456", "t")))
          .isEqualTo("Invalid password or one-time code");
    }
    assertThat(failureMessage(() -> f.accounts.authenticate("ghost", ServerFixture.PASSWORD, "123456", "t")))
        .isEqualTo("Credential locked: too many failed attempts, try again later");
  }

  @Test
  void housekeeping_removesExpiredRows_only() throws Exception {
    byte[] seed = f.enrol("alice", KeySpec.EC_P256);
    f.accounts.authenticate("alice", ServerFixture.PASSWORD, f.code(seed), "t").close();
    var housekeeping = new org.opendsm.server.internal.store.Housekeeping(f.db.jdbi(), f.clock, Duration.ofDays(1));
    assertThat(housekeeping.run()).isZero();

    f.clock.advance(Duration.ofMinutes(5));

    assertThat(housekeeping.run()).isGreaterThan(0);
    housekeeping.close();
  }

  private interface Attempt {
    void run() throws Exception;
  }

  private static String failureMessage(Attempt a) {
    try {
      a.run();
    } catch (AuthenticationException e) {
      return e.getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("authentication succeeded");
  }
}
