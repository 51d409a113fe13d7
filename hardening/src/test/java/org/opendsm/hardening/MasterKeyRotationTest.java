package org.opendsm.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.client.DsmClient;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.AdminApi;
import org.opendsm.testing.MutableClock;

/**
 * A master key rotation on two live nodes sharing PostgreSQL, as the README tells an operator to
 * run it: stage on one node, copy the file, activate, let the nodes re-wrap, retire, copy again.
 * Both nodes sign throughout; at the end nothing in the database needs the old key, and a node
 * holding only a copy of the old file cannot start on it.
 */
@Tag("postgres")
class MasterKeyRotationTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  @TempDir Path stolen;
  private final MutableClock clock = new MutableClock(Instant.now());
  private ReferenceServer a;
  private ReferenceServer b;
  private DsmClient onA;
  private DsmClient onB;

  @AfterEach
  void stop() {
    Cluster.closeAll(onA, onB, a, b);
  }

  @Test
  void rotationOnTwoLiveNodes_reWrapsEverything_andTheOldFileOpensNothing() throws Exception {
    String url = Cluster.databaseUrl();
    Cluster.emptyDatabase(url);
    Jdbi db = Jdbi.create(url, Cluster.DB_USER, Cluster.DB_PASSWORD);
    a = ReferenceServer.start(Cluster.config(dirA, url), clock);
    Cluster.seed(dirA, dirB);
    b = ReferenceServer.start(Cluster.config(dirB, url), clock);
    Files.copy(dirA.resolve("master-key.p12"), stolen.resolve("master-key.p12"));
    AdminApi adminA = new AdminApi(a.baseUrl(), a.tlsCertificate(), Cluster.ADMIN_TOKEN);
    AdminApi adminB = new AdminApi(b.baseUrl(), b.tlsCertificate(), Cluster.ADMIN_TOKEN);
    Secret secret = Cluster.register(adminA, "bank");
    onA = Cluster.client(a.baseUrl(), a.tlsCertificate(), "bank", secret);
    onB = Cluster.client(b.baseUrl(), b.tlsCertificate(), "bank", secret);
    Cluster.User ada = enrol(adminA, "ada");
    Cluster.User ben = enrol(adminB, "ben");
    String pendingSad = authorize(onA, ada, List.of(sha256("signed after the switch")));
    signOn(onB, ben, "before the rotation");

    // Stage on A: only A's file has generation 2, so activating it must wait for B.
    JsonNode staged = adminA.post("/admin/master-key/stage", Map.of());
    assertThat(staged.get("generation").asInt()).isEqualTo(2);
    b.refreshMasterKeys(); // B's timer: it reports what its file holds (the test's clock jumps TOTP steps)
    AdminApi.Answer early = adminA.send("POST", "/admin/master-key/2/activate", Map.of());
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.body().get("error_description").asText()).contains("Not every node holds generation 2")
        .contains(dirB.toAbsolutePath().toString());
    assertThat(generation(adminA, 1).get("state").asText()).isEqualTo("active");

    // The operator copies the file; B reads it at its next tick.
    Files.copy(dirA.resolve("master-key.p12"), dirB.resolve("master-key.p12"), StandardCopyOption.REPLACE_EXISTING);
    b.refreshMasterKeys();
    adminB.post("/admin/master-key/2/activate", Map.of());
    signOn(onA, ada, "between activation and re-wrap"); // sealed values of both generations open meanwhile
    while (a.refreshMasterKeys() + b.refreshMasterKeys() > 0) {
      // each tick re-wraps a batch on each node, as the timers would
    }

    // Everything but the unspent SAD has moved; retiring generation 1 is refused until it is spent.
    JsonNode old = generation(adminA, 1).get("sealed");
    assertThat(old.get("liveSads").asInt()).isEqualTo(1);
    assertThat(old.get("passwords").asInt() + old.get("totpSeeds").asInt() + old.get("userKeys").asInt()
        + old.get("caKeys").asInt() + old.get("serverSecrets").asInt()).isZero();
    AdminApi.Answer refused = adminA.send("POST", "/admin/master-key/1/retire", Map.of());
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().get("error_description").asText()).contains("1 live SAD");
    List<byte[]> late = onB.signHash(ada.credentialId(), pendingSad, SignatureAlgorithm.ECDSA_SHA256,
        List.of(sha256("signed after the switch")));
    Cluster.assertSignedBy(onB, ada, sha256("signed after the switch"), late.get(0));

    adminA.post("/admin/master-key/1/retire", Map.of());
    Files.copy(dirA.resolve("master-key.p12"), dirB.resolve("master-key.p12"), StandardCopyOption.REPLACE_EXISTING);
    b.refreshMasterKeys();
    JsonNode status = adminB.get("/admin/master-key");
    assertThat(status.get("current").asInt()).isEqualTo(2);
    for (JsonNode node : status.get("nodes")) {
      if (node.get("live").asBoolean()) {
        assertThat(node.get("generations")).extracting(JsonNode::asInt).containsExactly(2);
      }
    }
    long elsewhere = db.withHandle(h -> h.createQuery("SELECT (SELECT COUNT(*) FROM users WHERE pwd_master_gen <> 2"
        + " AND pwd_verifier IS NOT NULL) + (SELECT COUNT(*) FROM users WHERE totp_master_gen <> 2)"
        + " + (SELECT COUNT(*) FROM credentials WHERE master_gen <> 2) + (SELECT COUNT(*) FROM ca_keys"
        + " WHERE master_gen <> 2) + (SELECT COUNT(*) FROM server_secrets WHERE master_gen <> 2)")
        .mapTo(Long.class).one());
    assertThat(elsewhere).as("values sealed by another generation than 2").isZero();

    // Both nodes go on: old users sign on either node, a new user enrols on B and signs on A.
    signOn(onA, ben, "after the rotation");
    signOn(onB, ada, "after the rotation");
    signOn(onA, enrol(adminB, "cleo"), "a new user");
    assertThat(a.verifyAudit()).isEmpty();
    int rotationRecords = db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit WHERE event LIKE 'master-key.%'")
        .mapTo(Integer.class).one());
    assertThat(rotationRecords).isGreaterThanOrEqualTo(4); // staged, activated, re-wrapped, retired

    // A third node started with a copy of the old file (generation 1 only) on the same database:
    // the CA keys, like everything else, need generation 2.
    Files.copy(dirA.resolve("tls.p12"), stolen.resolve("tls.p12"));
    assertThatThrownBy(() -> ReferenceServer.start(Cluster.config(stolen, url), clock).close())
        .hasMessageContaining("does not hold generation 2");
  }

  private JsonNode generation(AdminApi admin, int generation) {
    for (JsonNode g : admin.get("/admin/master-key").get("generations")) {
      if (g.get("generation").asInt() == generation) {
        return g;
      }
    }
    throw new AssertionError("no generation " + generation);
  }

  private Cluster.User enrol(AdminApi admin, String id) {
    Cluster.User u = Cluster.enrol(admin, id, clock);
    clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    return u;
  }

  private String authorize(DsmClient client, Cluster.User u, List<byte[]> digests) {
    try (Secret password = Secret.of(Cluster.PASSWORD); Secret otp = Secret.of(u.code(clock))) {
      return client.authorize(u.credentialId(), DigestAlgorithm.SHA256, digests, password, otp).sad();
    } finally {
      clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    }
  }

  private void signOn(DsmClient client, Cluster.User u, String text) {
    byte[] digest = sha256(text);
    String sad = authorize(client, u, List.of(digest));
    Cluster.assertSignedBy(client, u, digest,
        client.signHash(u.credentialId(), sad, SignatureAlgorithm.ECDSA_SHA256, List.of(digest)).get(0));
  }

  private static byte[] sha256(String text) {
    return DigestAlgorithm.SHA256.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
