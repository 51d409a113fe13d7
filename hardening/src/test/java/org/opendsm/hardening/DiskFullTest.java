package org.opendsm.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.client.DsmClient;
import org.opendsm.client.RemoteSigningException;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.ServerConfig;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.AdminApi;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.MutableClock;

/**
 * The embedded node's data directory fills up (a small tmpfs that .ci/run mounts, named by
 * {@code DSM_TEST_SMALL_DIR}): requests that must write fail with a clear 503, never a 500, no
 * signature leaves without its record, and once space returns the node serves again and, started
 * anew on the same directory, has lost nothing it had answered for.
 */
@Tag("diskfull")
class DiskFullTest {
  private final MutableClock clock = new MutableClock(Instant.now());

  /** What the filled node left behind, for the checks after a restart. */
  private record Filled(ServerConfig config, Path data, Secret secret, Cluster.User user, List<String> answered) {}

  /**
   * As shipped: the node keeps a reserve of free space (16 MiB by default) and answers 503 once
   * the file system is down to it, so H2 is never asked to write to a full disk.
   */
  @Test
  void withTheReserve_aFullDisk_givesClearErrors_andAfterARestartNothingAnsweredIsLost() throws Exception {
    Filled f = fillAndRecover(ServerConfig.defaults().minFreeDiskBytes());

    try (ReferenceServer node = ReferenceServer.start(f.config(), clock);
        DsmClient client = Cluster.client(node.baseUrl(), node.tlsCertificate(), "bank", f.secret())) {
      assertThat(sign(client, f.user(), "after a restart")).as("and starts again on its directory").isNotNull();
      assertThat(node.verifyAudit()).as("the audit chain survived").isEmpty();
    }
    assertEveryAnsweredSignatureHasItsRecord(f);
  }

  /** Without the reserve H2 meets the full disk itself: the node still recovers without a restart. */
  @Test
  void withoutTheReserve_H2MeetsTheFullDisk_andTheNodeRecoversWithoutARestart() throws Exception {
    Filled f = fillAndRecover(0);

    try (ReferenceServer node = ReferenceServer.start(f.config(), clock);
        DsmClient client = Cluster.client(node.baseUrl(), node.tlsCertificate(), "bank", f.secret())) {
      assertThat(sign(client, f.user(), "after a restart")).as("and starts again on its directory").isNotNull();
    }
  }

  /**
   * H2's own behaviour under ENOSPC, which the reserve keeps it from meeting: it has been seen
   * (about 1 run in 5) to keep a failed transaction's sequence update without its audit row, so
   * the restarted node reports "entries N to N are missing". An upstream issue of the embedded
   * store, kept visible here. Run with {@code -Dgroups=known-issue -DexcludedGroups=}.
   */
  @Test
  @Tag("known-issue")
  void withoutTheReserve_afterARestart_theAuditChainIsWhole() throws Exception {
    Filled f = fillAndRecover(0);

    try (ReferenceServer node = ReferenceServer.start(f.config(), clock)) {
      assertThat(node.verifyAudit()).as("the audit chain survived").isEmpty();
    }
    assertEveryAnsweredSignatureHasItsRecord(f);
  }

  private static void assertEveryAnsweredSignatureHasItsRecord(Filled f) {
    String records = auditedDigests(f.data());
    for (String text : f.answered()) {
      String hex = java.util.HexFormat.of().formatHex(DigestAlgorithm.SHA256.digest(text.getBytes()));
      assertThat(records).as("the record of a signature that was returned: " + text).contains(hex);
    }
  }

  /** Starts a node, signs, fills the disk, signs (503s), frees the space, signs again; stops it. */
  private Filled fillAndRecover(long reserve) throws Exception {
    String small = System.getenv("DSM_TEST_SMALL_DIR");
    if (small == null) {
      ExternalTools.skipOrFail("DSM_TEST_SMALL_DIR is not set: a small file system for the data directory"
          + " (.ci/run mounts a 64 MiB tmpfs)");
    }
    Path data = Path.of(small).resolve("node-" + System.nanoTime());
    Path filler = Path.of(small).resolve("filler-" + System.nanoTime());
    ServerConfig config = ServerConfig.defaults().withPort(0).withPkiPort(0).withDataDirectory(data)
        .fromEnvironment(Map.of("DSM_MASTER_PASSPHRASE", Cluster.MASTER_PASSPHRASE, "DSM_ADMIN_TOKEN",
            Cluster.ADMIN_TOKEN)).withMinFreeDiskBytes(reserve);
    List<String> signedWhileFull = new ArrayList<>();
    Cluster.User ada;
    Secret secret;
    try (ReferenceServer node = ReferenceServer.start(config, clock)) {
      AdminApi admin = new AdminApi(node.baseUrl(), node.tlsCertificate(), Cluster.ADMIN_TOKEN);
      secret = Cluster.register(admin, "bank");
      ada = Cluster.enrol(admin, "ada", clock);
      clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
      try (DsmClient client = Cluster.client(node.baseUrl(), node.tlsCertificate(), "bank", secret)) {
        assertThat(sign(client, ada, "before")).isNotNull();
        signedWhileFull.add("before");

        fill(filler);
        int unavailable = 0;
        for (int i = 0; i < 20; i++) {
          try {
            if (sign(client, ada, "while full " + i) != null) {
              signedWhileFull.add("while full " + i);
            }
          } catch (RemoteSigningException e) {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(503);
            assertThat(e.error()).isEqualTo("temporarily_unavailable");
            unavailable++;
          }
        }
        assertThat(unavailable).as("a full disk shows").isPositive();

        Files.delete(filler);
        Instant deadline = Instant.now().plusSeconds(30);
        byte[] after = null;
        while (after == null && Instant.now().isBefore(deadline)) {
          try {
            after = sign(client, ada, "space is back");
          } catch (RemoteSigningException e) {
            Thread.sleep(500);
          }
        }
        assertThat(after).as("the node serves again once space returns, without a restart").isNotNull();
        signedWhileFull.add("space is back");
      }
    } finally {
      Files.deleteIfExists(filler);
    }

    return new Filled(config, data, secret, ada, signedWhileFull);
  }


  /** The signature records, read from the stopped node's database file. */
  private static String auditedDigests(Path data) {
    return org.jdbi.v3.core.Jdbi.create("jdbc:h2:file:" + data.toAbsolutePath().resolve("dsm")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "").withHandle(h -> String.join(",", h.createQuery(
            "SELECT details FROM audit WHERE event = 'signature.created'").mapTo(String.class).list()));
  }

  /** Writes until the file system is full. */
  private static void fill(Path filler) {
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException full) {
      // no space left: as intended
    }
  }

  private byte[] sign(DsmClient client, Cluster.User u, String text) {
    byte[] digest = DigestAlgorithm.SHA256.digest(text.getBytes());
    String sad;
    try (Secret password = Secret.of(Cluster.PASSWORD); Secret otp = Secret.of(u.code(clock))) {
      clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
      sad = client.authorize(u.credentialId(), DigestAlgorithm.SHA256, List.of(digest), password, otp).sad();
    }
    return Cluster.assertSignedBy(client, u, digest,
        client.signHash(u.credentialId(), sad, SignatureAlgorithm.ECDSA_SHA256, List.of(digest)).get(0));
  }
}
