package org.opendsm.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.tsp.TimeStampToken;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.client.DsmClient;
import org.opendsm.client.RemoteSigningException;
import org.opendsm.internal.DigestSignatures;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.AdminApi;
import org.opendsm.testing.MutableClock;

/**
 * Two nodes of one service sharing PostgreSQL (and, through it, the sealed keys), each reached by
 * its own client as a round-robin balancer would: what one node decides, the other enforces.
 */
@Tag("postgres")
class MultiNodeTest {
  @TempDir static Path dirA;
  @TempDir static Path dirB;
  private static final MutableClock CLOCK = new MutableClock(Instant.now());
  private static ReferenceServer a;
  private static ReferenceServer b;
  private static AdminApi admin;
  private static DsmClient onA;
  private static DsmClient onB;
  private static Jdbi db;

  @BeforeAll
  static void start() throws Exception {
    String url = Cluster.databaseUrl();
    Cluster.emptyDatabase(url);
    db = Jdbi.create(url, Cluster.DB_USER, Cluster.DB_PASSWORD);
    a = ReferenceServer.start(Cluster.config(dirA, url), CLOCK);
    Cluster.seed(dirA, dirB);
    b = ReferenceServer.start(Cluster.config(dirB, url), CLOCK);
    admin = new AdminApi(a.baseUrl(), a.tlsCertificate(), Cluster.ADMIN_TOKEN);
    Secret secret = Cluster.register(admin, "bank");
    onA = Cluster.client(a.baseUrl(), a.tlsCertificate(), "bank", secret);
    onB = Cluster.client(b.baseUrl(), b.tlsCertificate(), "bank", secret);
  }

  @AfterAll
  static void stop() {
    Cluster.closeAll(onA, onB, a, b);
  }

  @Test
  void aSadAuthorisedOnOneNode_isSpentOnTheOther_once() {
    Cluster.User u = enrol("ada");
    List<byte[]> digests = List.of(sha256("contract"), sha256("annex"));

    String sad = authorize(onA, u, digests);
    List<byte[]> values = onB.signHash(u.credentialId(), sad, SignatureAlgorithm.ECDSA_SHA256, digests);

    X509Certificate cert = Cluster.certificate(onA, u.credentialId());
    for (int i = 0; i < digests.size(); i++) {
      assertThat(DigestSignatures.verify(cert.getPublicKey(), SignatureAlgorithm.ECDSA_SHA256, digests.get(i),
          values.get(i))).isTrue();
    }
    RemoteSigningException again = catchThrowableOfType(RemoteSigningException.class,
        () -> onA.signHash(u.credentialId(), sad, SignatureAlgorithm.ECDSA_SHA256, digests));
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.getMessage()).isEqualTo("SAD already used");
  }

  @Test
  void aOneTimeCodeUsedOnOneNode_isRefusedOnTheOther() {
    Cluster.User u = enrol("bert");
    String code = u.code(CLOCK);
    List<byte[]> digests = List.of(sha256("first"));
    try (Secret password = Secret.of(Cluster.PASSWORD); Secret otp = Secret.of(code)) {
      onA.authorize(u.credentialId(), DigestAlgorithm.SHA256, digests, password, otp);
    }

    RemoteSigningException replay = catchThrowableOfType(RemoteSigningException.class, () -> {
      try (Secret password = Secret.of(Cluster.PASSWORD); Secret otp = Secret.of(code)) {
        onB.authorize(u.credentialId(), DigestAlgorithm.SHA256, List.of(sha256("second")), password, otp);
      }
    });

    assertThat(replay.status()).isEqualTo(400);
    assertThat(replay.getMessage()).isEqualTo("Invalid password or one-time code");
  }

  @Test
  void aLockoutOnOneNode_holdsOnTheOther() {
    Cluster.User u = enrol("carl");
    for (int i = 0; i < Accounts.MAX_FAILURES; i++) {
      try (Secret wrong = Secret.of("not the passphrase " + i); Secret otp = Secret.of(u.code(CLOCK))) {
        catchThrowableOfType(RemoteSigningException.class,
            () -> onA.authorize(u.credentialId(), DigestAlgorithm.SHA256, List.of(sha256("x")), wrong, otp));
      }
    }
    // (The clock stays: the first lock lasts 30 s. The wrong attempts claimed no TOTP step.)
    RemoteSigningException locked = catchThrowableOfType(RemoteSigningException.class,
        () -> authorize(onB, u, List.of(sha256("y"))));

    assertThat(locked.getMessage()).startsWith("Credential locked");
  }

  @Test
  void theAuditTrail_staysOneValidChain_underConcurrentWritesFromBothNodes() throws Exception {
    List<Cluster.User> users = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      users.add(enrol("audit" + i));
    }
    long before = signatureRecords();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Integer>> work = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      Cluster.User u = users.get(i);
      DsmClient first = i % 2 == 0 ? onA : onB;
      DsmClient other = first == onA ? onB : onA;
      work.add(pool.submit(() -> {
        List<byte[]> digests = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
          digests.add(sha256(u.id() + n));
        }
        String sad = authorize(first, u, digests);
        for (int n = 0; n < digests.size(); n++) {
          // one hash per call, alternating nodes: two nodes append to the chain at once
          DsmClient node = n % 2 == 0 ? first : other;
          Cluster.assertSignedBy(node, u, digests.get(n), node.signHash(u.credentialId(), sad,
              SignatureAlgorithm.ECDSA_SHA256, List.of(digests.get(n))).get(0));
        }
        return digests.size();
      }));
    }
    int signed = 0;
    for (Future<Integer> f : work) {
      signed += f.get();
    }
    pool.shutdown();

    assertThat(signatureRecords() - before).isEqualTo(signed);
    assertThat(a.verifyAudit()).isEmpty();
    assertThat(b.verifyAudit()).isEmpty();
    long[] span = db.withHandle(h -> h.createQuery("SELECT COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM audit")
        .map((rs, ctx) -> new long[] {rs.getLong("n"), rs.getLong("lo"), rs.getLong("hi")}).one());
    assertThat(span[2] - span[1] + 1).as("no gaps, no duplicates in the chain").isEqualTo(span[0]);
  }

  @Test
  void certificateAndTimestampSerials_stayUniqueAcrossNodes() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<BigInteger>> certificates = new ArrayList<>();
    AdminApi adminB = new AdminApi(b.baseUrl(), b.tlsCertificate(), Cluster.ADMIN_TOKEN);
    for (int i = 0; i < 6; i++) {
      AdminApi via = i % 2 == 0 ? admin : adminB;
      String id = "serial" + i;
      certificates.add(pool.submit(() -> Cluster.certificate(onA, Cluster.enrol(via, id, CLOCK).credentialId())
          .getSerialNumber()));
    }
    List<Future<List<BigInteger>>> timestamps = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      DsmClient node = t % 2 == 0 ? onA : onB;
      Callable<List<BigInteger>> stamp = () -> {
        List<BigInteger> serials = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
          byte[] token = node.timestamp(DigestAlgorithm.SHA256, sha256("stamp" + n));
          serials.add(new TimeStampToken(new CMSSignedData(token)).getTimeStampInfo().getSerialNumber());
        }
        return serials;
      };
      timestamps.add(pool.submit(stamp));
    }

    Set<BigInteger> certificateSerials = new HashSet<>();
    for (Future<BigInteger> f : certificates) {
      certificateSerials.add(f.get());
    }
    List<BigInteger> tokenSerials = new ArrayList<>();
    for (Future<List<BigInteger>> f : timestamps) {
      tokenSerials.addAll(f.get());
    }
    pool.shutdown();
    CLOCK.advance(Duration.ofSeconds(Totp.STEP_SECONDS));

    assertThat(certificateSerials).hasSize(6);
    assertThat(new HashSet<>(tokenSerials)).hasSize(400);
  }

  private static Cluster.User enrol(String id) {
    Cluster.User u = Cluster.enrol(admin, id, CLOCK);
    CLOCK.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    return u;
  }

  private static String authorize(DsmClient client, Cluster.User u, List<byte[]> digests) {
    try (Secret password = Secret.of(Cluster.PASSWORD); Secret otp = Secret.of(u.code(CLOCK))) {
      return client.authorize(u.credentialId(), DigestAlgorithm.SHA256, digests, password, otp).sad();
    }
  }

  private static long signatureRecords() {
    return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit WHERE event = 'signature.created'")
        .mapTo(Long.class).one());
  }

  private static byte[] sha256(String text) {
    return DigestAlgorithm.SHA256.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
