package org.opendsm.server.internal.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.Secret;

class MasterKeyRingTest {
  private static final Secret PASSPHRASE = Secret.of("a passphrase for the test file");

  @Test
  void generationsSurviveTheFile_andTheFileStaysOwnerOnly(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("master-key.p12");
    MasterKeyRing ring = MasterKeyRing.loadOrCreate(file, PASSPHRASE);
    MasterKey added = ring.addGeneration(2);

    MasterKeyRing reread = MasterKeyRing.loadOrCreate(file, PASSPHRASE);

    assertThat(reread.generations()).containsExactly(1, 2);
    assertThat(reread.generation(2).checkValue()).isEqualTo(added.checkValue());
    assertThat(reread.generation(1).checkValue()).isEqualTo(ring.generation(1).checkValue());
    assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE);
    assertThat(reread.toString()).doesNotContain(java.util.HexFormat.of().formatHex(added.encoded()));
  }

  @Test
  void aCopiedFileIsTakenAtTheNextReload_butNotOneWithAnotherKeyUnderAKnownNumber(@TempDir Path dir)
      throws Exception {
    Path a = dir.resolve("a.p12");
    MasterKeyRing nodeA = MasterKeyRing.loadOrCreate(a, PASSPHRASE);
    Path b = dir.resolve("b.p12");
    Files.copy(a, b);
    MasterKeyRing nodeB = MasterKeyRing.loadOrCreate(b, PASSPHRASE);

    nodeA.addGeneration(2);
    copy(a, b);
    assertThat(nodeB.reloadIfChanged()).isTrue();
    assertThat(nodeB.generations()).containsExactly(1, 2);
    assertThat(nodeB.reloadIfChanged()).isFalse();

    Path elsewhere = dir.resolve("other.p12");
    MasterKeyRing.loadOrCreate(elsewhere, PASSPHRASE).addGeneration(2);
    copy(elsewhere, b);
    assertThatThrownBy(nodeB::reloadIfChanged).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another key under generation");
    assertThat(nodeB.generation(2).checkValue()).isEqualTo(nodeA.generation(2).checkValue());
  }

  @Test
  void theGenerationInUseCannotBeRemoved_andAMissingOneIsNamed(@TempDir Path dir) {
    MasterKeyRing ring = MasterKeyRing.loadOrCreate(dir.resolve("k.p12"), PASSPHRASE);
    ring.addGeneration(2);
    ring.use(2);

    assertThatThrownBy(() -> ring.removeGeneration(2)).isInstanceOf(IllegalArgumentException.class);
    ring.removeGeneration(1);
    assertThatThrownBy(() -> ring.generation(1)).isInstanceOf(MasterKeyRing.MissingGeneration.class)
        .hasMessageContaining("generation 1");
    ring.use(1); // the cluster's choice, which this node lacks: sealing fails, and says why
    assertThatThrownBy(ring::current).isInstanceOf(MasterKeyRing.MissingGeneration.class);
  }

  @Test
  void aWrongPassphraseIsReportedAsSuch(@TempDir Path dir) {
    Path file = dir.resolve("k.p12");
    MasterKeyRing.loadOrCreate(file, PASSPHRASE);

    assertThatThrownBy(() -> MasterKeyRing.loadOrCreate(file, Secret.of("wrong")))
        .hasMessageContaining("wrong passphrase");
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
  }
}
