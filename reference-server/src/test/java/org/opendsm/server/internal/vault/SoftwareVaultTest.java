package org.opendsm.server.internal.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.Secret;
import org.opendsm.server.internal.crypto.Argon2;

class SoftwareVaultTest {
  /** A cheap cost for tests; production uses Argon2.DEFAULT. */
  private static final Argon2 FAST = new Argon2(1024, 1, 1);
  private final MasterKeyRing master = MasterKeyRing.random();
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
    SoftwareVault other = new SoftwareVault(MasterKeyRing.random(), FAST);

    // Even the password check needs the master key, so a dump alone allows no offline guessing;
    // the other key is reported as what it is, not as a wrong password.
    assertThatThrownBy(() -> other.unlock(record, Secret.of("correct horse battery")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("another master key");
    assertThat(sealed.publicKey()).isNotNull();
  }

  @Test
  void sealedKeyCopiedToAnotherCredential_doesNotOpen() throws Exception {
    SoftwareVault.PasswordRecord record = vault.newPassword(Secret.of("correct horse battery"));
    try (SoftwareVault.Unlocked u = vault.unlock(record, Secret.of("correct horse battery"))) {
      SealedKey sealed = vault.generate(KeySpec.EC_P256, "cred-1", u);

      // The master key's layer is bound to the credential: a moved row is reported as damaged.
      assertThatThrownBy(() -> vault.open(sealed, "cred-2", u)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("does not open");
    }
  }

  @Test
  void liveSad_opensTheKey_andOnlyThatSad() throws Exception {
    SoftwareVault.PasswordRecord record = vault.newPassword(Secret.of("correct horse battery"));
    byte[] sad = new byte[32];
    new SecureRandom().nextBytes(sad);
    SealedKey sealed;
    SoftwareVault.Escrow escrow;
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

  @Test
  void rotation_rewrapsVerifierAndKeyWithoutThePassword_andTheOldGenerationIsNoLongerNeeded() throws Exception {
    Secret password = Secret.of("correct horse battery");
    SoftwareVault.PasswordRecord record = vault.newPassword(password);
    SealedKey sealed;
    try (SoftwareVault.Unlocked u = vault.unlock(record, password)) {
      sealed = vault.generate(KeySpec.EC_P256, "cred-1", u);
    }
    assertThat(record.generation()).isEqualTo(1);
    assertThat(sealed.generation()).isEqualTo(1);

    master.addGeneration(2);
    master.use(2);
    SoftwareVault.PasswordRecord rewrapped = vault.rewrap(record);
    SealedKey moved = vault.rewrap(sealed, "cred-1");
    master.removeGeneration(1);

    assertThat(rewrapped.generation()).isEqualTo(2);
    assertThat(moved.generation()).isEqualTo(2);
    assertThat(rewrapped.salt()).isEqualTo(record.salt());
    try (SoftwareVault.Unlocked u = vault.unlock(rewrapped, password)) {
      assertThat(verifies(vault.open(moved, "cred-1", u), moved)).isTrue();
    }
    assertThatThrownBy(() -> vault.unlock(rewrapped, Secret.of("wrong horse battery")))
        .isInstanceOf(SoftwareVault.Refused.class);
    // What generation 1 sealed no longer opens here: the old key is gone from the ring.
    assertThatThrownBy(() -> vault.unlock(record, password)).isInstanceOf(MasterKeyRing.MissingGeneration.class);
  }

  @Test
  void aStolenCopyOfTheOldKeyFile_opensNothingRewrapped_evenWithThePassword(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("master-key.p12");
    MasterKeyRing ring = MasterKeyRing.loadOrCreate(file, Secret.of("passphrase"));
    SoftwareVault vault = new SoftwareVault(ring, FAST);
    Secret password = Secret.of("correct horse battery");
    SoftwareVault.PasswordRecord record = vault.newPassword(password);
    SealedKey sealed;
    try (SoftwareVault.Unlocked u = vault.unlock(record, password)) {
      sealed = vault.generate(KeySpec.EC_P256, "cred-1", u);
    }
    Files.copy(file, dir.resolve("stolen.p12"));

    ring.addGeneration(2);
    ring.use(2);
    SoftwareVault.PasswordRecord rewrapped = vault.rewrap(record);
    SealedKey moved = vault.rewrap(sealed, "cred-1");
    ring.removeGeneration(1);

    MasterKeyRing reread = MasterKeyRing.loadOrCreate(file, Secret.of("passphrase"));
    assertThat(reread.generations()).containsExactly(2);
    try (SoftwareVault.Unlocked u = new SoftwareVault(reread, FAST).unlock(rewrapped, password)) {
      assertThat(verifies(new SoftwareVault(reread, FAST).open(moved, "cred-1", u), moved)).isTrue();
    }
    SoftwareVault thief = new SoftwareVault(MasterKeyRing.loadOrCreate(dir.resolve("stolen.p12"),
        Secret.of("passphrase")), FAST);
    assertThatThrownBy(() -> thief.unlock(rewrapped, password))
        .isInstanceOf(MasterKeyRing.MissingGeneration.class).hasMessageContaining("generation 2");
    try (SoftwareVault.Unlocked u = thief.unlock(record, password)) { // the old row still opens with the old file
      assertThatThrownBy(() -> thief.open(moved, "cred-1", u)).isInstanceOf(MasterKeyRing.MissingGeneration.class);
    }
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
