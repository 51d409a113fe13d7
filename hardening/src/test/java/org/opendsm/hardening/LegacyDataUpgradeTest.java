package org.opendsm.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.client.DsmClient;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.ServerConfig;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.server.internal.oauth.OpenIdProvider;
import org.opendsm.server.internal.pki.CertificateAuthority;
import org.opendsm.server.internal.store.Database;
import org.opendsm.server.internal.vault.MasterKeyRing;
import org.opendsm.server.internal.vault.ServerSecrets;
import org.opendsm.testing.AdminApi;
import org.opendsm.testing.MutableClock;

/**
 * A data directory written by the server before master key rotation existed (the fixture
 * {@code data-before-key-rotation.zip}: an embedded database with two enrolled users, made with
 * commit f2879ec) is upgraded in place and then rotated. Users keep signing with their old
 * password and authenticator, their verifier and keys move to the new format at their next
 * sign-in, the old generation can be retired only once both have signed in, and the OpenID
 * Connect subjects relying parties know stay the same.
 */
class LegacyDataUpgradeTest {
  private static final String PASSWORD = "legacy fixture password";
  private static final String ADMIN_TOKEN = "legacy-upgrade-admin-token";
  @TempDir Path data;
  private final MutableClock clock = new MutableClock(Instant.now());

  @Test
  void dataFromBeforeRotation_signsAfterTheUpgrade_andRotatesOnceEveryUserHasSignedIn() throws Exception {
    Map<String, String> secrets = unpackFixture();
    ReferenceServer server = start();
    AdminApi admin = new AdminApi(server.baseUrl(), server.tlsCertificate(), ADMIN_TOKEN);
    Secret clientSecret = Cluster.register(admin, "bank");
    DsmClient client = Cluster.client(server.baseUrl(), server.tlsCertificate(), "bank", clientSecret);
    Cluster.User alice = user(client, "alice", secrets);
    Cluster.User bob = user(client, "bob", secrets);

    JsonNode before = admin.get("/admin/master-key");
    assertThat(before.get("current").asInt()).isEqualTo(1);
    assertThat(sealed(before, 1).get("passwords").asInt()).isEqualTo(2);
    assertThat(sealed(before, 1).get("userKeys").asInt()).isEqualTo(2);
    sign(client, alice, "alice after the upgrade");

    admin.post("/admin/master-key/stage", Map.of());
    admin.post("/admin/master-key/2/activate", Map.of());
    while (server.refreshMasterKeys() > 0) {
      // the timer's batches
    }
    // Bob has not signed in since the upgrade: his password verifier and key still need
    // generation 1 (only his password can move them).
    AdminApi.Answer refused = admin.send("POST", "/admin/master-key/1/retire", Map.of());
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().get("error_description").asText())
        .contains("1 password verifier", "1 user key", "next sign-in").doesNotContain("CA key", "TOTP");

    sign(client, bob, "bob after the rotation");
    sign(client, alice, "alice after the rotation");
    admin.post("/admin/master-key/1/retire", Map.of());
    client.close();
    server.close();

    // Restarted with generation 2 alone, everyone still signs.
    assertThat(MasterKeyRing.loadOrCreate(data.resolve("master-key.p12"), passphrase()).generations())
        .containsExactly(2);
    server = start();
    client = Cluster.client(server.baseUrl(), server.tlsCertificate(), "bank", clientSecret);
    try {
      sign(client, bob, "bob after the restart");
      sign(client, alice, "alice after the restart");
      assertThat(server.verifyAudit()).isEmpty();
    } finally {
      client.close();
      server.close();
    }

    // The pairwise subject the old server gave alice at "bank" is the one the rotated server gives.
    try (Database db = Database.embedded(data)) {
      MasterKeyRing ring = MasterKeyRing.loadOrCreate(data.resolve("master-key.p12"), passphrase());
      ring.use(2);
      OpenIdProvider oidc = new OpenIdProvider(new CertificateAuthority(db.jdbi(), ring, Clock.systemUTC(),
          "http://localhost"), new ServerSecrets(db.jdbi(), ring), Clock.systemUTC(),
          () -> java.net.URI.create("https://localhost"));
      assertThat(oidc.subject("bank", "alice")).isEqualTo(secrets.get("subject alice bank"));
    }
  }

  private ReferenceServer start() {
    return ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(0).withDataDirectory(data)
        .withAdminToken(Secret.of(ADMIN_TOKEN)), clock);
  }

  private Secret passphrase() throws Exception {
    return Secret.of(Files.readString(data.resolve("master-passphrase")).trim());
  }

  /** Unzips the fixture into the data directory; returns fixture-secrets.txt as a map. */
  private Map<String, String> unpackFixture() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/fixtures/data-before-key-rotation.zip");
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        Files.copy(zip, data.resolve(Path.of(e.getName()).getFileName().toString()));
      }
    }
    Map<String, String> secrets = new HashMap<>();
    for (String line : Files.readAllLines(data.resolve("fixture-secrets.txt"))) {
      int space = line.lastIndexOf(' ');
      secrets.put(line.substring(0, space), line.substring(space + 1));
    }
    return secrets;
  }

  private static Cluster.User user(DsmClient client, String id, Map<String, String> secrets) {
    String b32 = secrets.get(id);
    byte[] seed = Base32.decode(b32 + "=".repeat((8 - b32.length() % 8) % 8));
    String credential = client.listCredentials(id).credentialIDs().get(0);
    return new Cluster.User(id, credential, seed);
  }

  private static JsonNode sealed(JsonNode status, int generation) {
    for (JsonNode g : status.get("generations")) {
      if (g.get("generation").asInt() == generation) {
        return g.get("sealed");
      }
    }
    throw new AssertionError("no generation " + generation);
  }

  private void sign(DsmClient client, Cluster.User u, String text) {
    byte[] digest = DigestAlgorithm.SHA256.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String sad;
    try (Secret password = Secret.of(PASSWORD); Secret otp = Secret.of(u.code(clock))) {
      sad = client.authorize(u.credentialId(), DigestAlgorithm.SHA256, List.of(digest), password, otp).sad();
    } finally {
      clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    }
    Cluster.assertSignedBy(client, u, digest,
        client.signHash(u.credentialId(), sad, SignatureAlgorithm.ECDSA_SHA256, List.of(digest)).get(0));
  }
}
