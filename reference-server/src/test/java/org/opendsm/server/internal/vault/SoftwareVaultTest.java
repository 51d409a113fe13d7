package org.opendsm.server.internal.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import org.junit.jupiter.api.Test;
import org.opendsm.Secret;
import org.opendsm.server.internal.crypto.Argon2;

class SoftwareVaultTest {
  /** A cheap cost for tests; production uses Argon2.DEFAULT. */
  private static final Argon2 FAST = new Argon2(1024, 1, 1);
  private final MasterKey master = MasterKey.random();
  private final SoftwareVault vault = new SoftwareVault(master, FAST);

  @Test
  void keySealedWithThePassword_signsAfterUnlock() throws Exception {
    SoftwareVault.PasswordRecord record = vault.newPassword(Secret.of("correct horse battery"));
    SealedKey sealed;
    try (SoftwareVault.Unlocked u = vault.unlock(record, Secret.of("correct horse battery"))) {
      sealed = vault.generate(KeySpec.EC_P256, "cred-1", u);
    }

    try (SoftwareVault.Unlocked u = vault.unlock(record, Secret.of("correct horse battery"))) {
      assertThat(verifies(vault.open(sealed, "cred-1", u), sealed)).isTrue();
    }
  }

  @Test
  void wrongPassword_isRefused() {
    SoftwareVault.PasswordRecord record = vault.newPassword(Secret.of("correct horse battery"));

    assertThatThrownBy(() -> vault.unlock(record, Secret.of("correct horse battery!")))
        .isInstanceOf(SoftwareVault.Refused.class).hasMessage("Refused");
  }

  @Test
  void databaseDumpPlusMasterKey_withoutPassword_cannotOpenTheKey() throws Exception {
    SoftwareVault.PasswordRecord record = vault.newPassword(Secret.of("correct horse battery"));
    SealedKey sealed;
    try (SoftwareVault.Unlocked u = vault.unlock(record, Secret.of("correct horse battery"))) {
      sealed = vault.generate(KeySpec.EC_P256, "cred-1", u);
    }
    // The attacker holds the whole row and the master key, and tries the verifier as a secret,
    // or a fresh unlock of a password of their own choosing.
    SoftwareVault attacker = new SoftwareVault(master, FAST);
    SoftwareVault.PasswordRecord theirs = attacker.newPassword(Secret.of("guess"));
    try (SoftwareVault.Unlocked guess = attacker.unlock(theirs, Secret.of("guess"))) {
      assertThatThrownBy(() -> attacker.open(sealed, "cred-1", guess)).isInstanceOf(SoftwareVault.Refused.class);
    }
  }

  @Test
  void anotherMasterKey_cannotOpenTheKeyEvenWithThePassword() throws Exception {
    SoftwareVault.PasswordRecord record = vault.newPassword(Secret.of("correct horse battery"));
    SealedKey sealed;
    try (SoftwareVault.Unlocked u = vault.unlock(record, Secret.of("correct horse battery"))) {
      sealed = vault.generate(KeySpec.RSA_2048, "cred-1", u);
    }
    SoftwareVault other = new SoftwareVault(MasterKey.random(), FAST);

    // Even the password check needs the master key, so a dump alone allows no offline guessing.
    assertThatThrownBy(() -> other.unlock(record, Secret.of("correct horse battery")))
        .isInstanceOf(SoftwareVault.Refused.class);
    assertThat(sealed.publicKey()).isNotNull();
  }

  @Test
  void sealedKeyCopiedToAnotherCredential_doesNotOpen() throws Exception {
    SoftwareVault.PasswordRecord record = vault.newPassword(Secret.of("correct horse battery"));
    try (SoftwareVault.Unlocked u = vault.unlock(record, Secret.of("correct horse battery"))) {
      SealedKey sealed = vault.generate(KeySpec.EC_P256, "cred-1", u);

      assertThatThrownBy(() -> vault.open(sealed, "cred-2", u)).isInstanceOf(SoftwareVault.Refused.class);
    }
  }

  @Test
  void liveSad_opensTheKey_andOnlyThatSad() throws Exception {
    SoftwareVault.PasswordRecord record = vault.newPassword(Secret.of("correct horse battery"));
    byte[] sad = new byte[32];
    new SecureRandom().nextBytes(sad);
    SealedKey sealed;
    byte[] escrow;
    try (SoftwareVault.Unlocked u = vault.unlock(record, Secret.of("correct horse battery"))) {
      sealed = vault.generate(KeySpec.EC_P384, "cred-1", u);
      escrow = vault.escrow(u, sad, "sad-1");
    }

    try (SoftwareVault.Unlocked u = vault.unlockWithSad(escrow, sad, "sad-1")) {
      assertThat(verifies(vault.open(sealed, "cred-1", u), sealed)).isTrue();
    }
    byte[] otherSad = sad.clone();
    otherSad[0] ^= 1;
    assertThatThrownBy(() -> vault.unlockWithSad(escrow, otherSad, "sad-1")).isInstanceOf(SoftwareVault.Refused.class);
    assertThatThrownBy(() -> vault.unlockWithSad(escrow, sad, "sad-2")).isInstanceOf(SoftwareVault.Refused.class);
  }

  private static boolean verifies(PrivateKey key, SealedKey sealed) throws Exception {
    String alg = "EC".equals(sealed.spec().algorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
    Signature s = Signature.getInstance(alg);
    s.initSign(key);
    s.update(new byte[] {1, 2, 3});
    byte[] sig = s.sign();
    Signature v = Signature.getInstance(alg);
    v.initVerify(sealed.publicKey());
    v.update(new byte[] {1, 2, 3});
    return v.verify(sig);
  }
}
