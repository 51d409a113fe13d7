package org.opendsm.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.client.DsmClient;
import org.opendsm.internal.DigestSignatures;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.ServerConfig;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.AdminApi;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.MutableClock;

/**
 * A backup (the database, plus the master key and TLS identity kept apart from it) restored into
 * a fresh node: the users enrolled before it sign with their password and code, what came after
 * it is not there, and the audit chain is intact. Embedded H2 through {@code POST /admin/backup},
 * PostgreSQL through pg_dump and pg_restore.
 */
class BackupRestoreTest {
  private final MutableClock clock = new MutableClock(Instant.now());
  @TempDir Path dir;

  @Test
  void anEmbeddedBackup_restoredIntoAFreshDataDirectory_signs() throws Exception {
    Path first = dir.resolve("first");
    Path restored = dir.resolve("restored");
    Cluster.User ada;
    Path backup;
    try (ReferenceServer node = ReferenceServer.start(embedded(first), clock)) {
      AdminApi admin = new AdminApi(node.baseUrl(), node.tlsCertificate(), Cluster.ADMIN_TOKEN);
      Secret secret = Cluster.register(admin, "bank");
      ada = enrol(admin, "ada");
      try (DsmClient client = Cluster.client(node.baseUrl(), node.tlsCertificate(), "bank", secret)) {
        sign(client, ada, "before the backup");
      }
      backup = Path.of(admin.post("/admin/backup", Map.of()).get("file").asText());
      enrol(admin, "after-backup");
    }
    assertThat(backup).startsWith(first.resolve("backups")).isRegularFile();

    unzip(backup, restored);
    Cluster.seed(first, restored);
    try (ReferenceServer node = ReferenceServer.start(embedded(restored), clock)) {
      assertRestored(node, ada);
    }
  }

  @Tag("postgres")
  @Test
  void aPgDump_restoredIntoAnEmptyDatabase_signs() throws Exception {
    String url = Cluster.databaseUrl();
    ExternalTools.require("pg_dump", "pg_restore");
    Cluster.emptyDatabase(url);
    Path first = dir.resolve("first");
    Path restored = dir.resolve("restored");
    Path dump = dir.resolve("dsm.dump");
    String libpq = "postgresql://" + Cluster.DB_USER + ":" + Cluster.DB_PASSWORD + "@" + url.substring(
        "jdbc:postgresql://".length());
    Cluster.User ada;
    try (ReferenceServer node = ReferenceServer.start(Cluster.config(first, url), clock)) {
      AdminApi admin = new AdminApi(node.baseUrl(), node.tlsCertificate(), Cluster.ADMIN_TOKEN);
      Secret secret = Cluster.register(admin, "bank");
      ada = enrol(admin, "ada");
      try (DsmClient client = Cluster.client(node.baseUrl(), node.tlsCertificate(), "bank", secret)) {
        sign(client, ada, "before the backup");
      }
      assertThat(ExternalTools.run(dir, "pg_dump", "--format=custom", "--file=" + dump, "--dbname=" + libpq)
          .exitCode()).isZero();
      enrol(admin, "after-backup");
    }

    Cluster.emptyDatabase(url); // the database is lost
    var restore = ExternalTools.run(dir, "pg_restore", "--no-owner", "--dbname=" + libpq, dump.toString());
    assertThat(restore.exitCode()).as(restore.output()).isZero();
    Cluster.seed(first, restored);
    try (ReferenceServer node = ReferenceServer.start(Cluster.config(restored, url), clock)) {
      assertRestored(node, ada);
    }
  }

  private void assertRestored(ReferenceServer node, Cluster.User ada) {
    AdminApi admin = new AdminApi(node.baseUrl(), node.tlsCertificate(), Cluster.ADMIN_TOKEN);
    Secret secret = Cluster.register(admin, "portal"); // a new client, so the restored node writes too
    try (DsmClient client = Cluster.client(node.baseUrl(), node.tlsCertificate(), "portal", secret)) {
      byte[] digest = sign(client, ada, "after the restore");
      assertThat(client.listCredentials("after-backup").credentialIDs()).as("taken after the backup").isEmpty();
      assertThat(digest).isNotNull();
    }
    assertThat(node.verifyAudit()).isEmpty();
  }

  private ServerConfig embedded(Path data) {
    return ServerConfig.defaults().withPort(0).withPkiPort(0).withDataDirectory(data)
        .fromEnvironment(Map.of("DSM_MASTER_PASSPHRASE", Cluster.MASTER_PASSPHRASE, "DSM_ADMIN_TOKEN",
            Cluster.ADMIN_TOKEN));
  }

  private Cluster.User enrol(AdminApi admin, String id) {
    Cluster.User u = Cluster.enrol(admin, id, clock);
    clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    return u;
  }

  /** Authorises and signs one digest with a fresh code; checks the value against the certificate. */
  private byte[] sign(DsmClient client, Cluster.User u, String text) {
    byte[] digest = DigestAlgorithm.SHA256.digest(text.getBytes());
    String sad;
    try (Secret password = Secret.of(Cluster.PASSWORD); Secret otp = Secret.of(u.code(clock))) {
      sad = client.authorize(u.credentialId(), DigestAlgorithm.SHA256, List.of(digest), password, otp).sad();
    }
    clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    byte[] value = client.signHash(u.credentialId(), sad, SignatureAlgorithm.ECDSA_SHA256, List.of(digest)).get(0);
    assertThat(DigestSignatures.verify(Cluster.certificate(client, u.credentialId()).getPublicKey(),
        SignatureAlgorithm.ECDSA_SHA256, digest, value)).isTrue();
    return digest;
  }

  private static void unzip(Path zip, Path target) throws Exception {
    Files.createDirectories(target);
    try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        Path out = target.resolve(e.getName()).normalize();
        if (!out.startsWith(target)) {
          throw new IllegalStateException("Entry outside the target: " + e.getName());
        }
        Files.copy(z, out);
      }
    }
  }
}
