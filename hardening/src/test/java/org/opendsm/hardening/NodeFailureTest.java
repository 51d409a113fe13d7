package org.opendsm.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.client.DsmClient;
import org.opendsm.client.RemoteSigningException;
import org.opendsm.internal.DigestSignatures;
import org.opendsm.server.internal.audit.AuditTrail;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.AdminApi;

/**
 * Two {@code dsm server} processes on one PostgreSQL; one is killed with SIGKILL in the middle of
 * a signHash load. No signature reached a client without its audit record, no digest was signed
 * twice, the other node kept serving, and the killed node, started again, rejoins.
 */
@Tag("postgres")
class NodeFailureTest {
  private static final SignatureAlgorithm ALGORITHM = SignatureAlgorithm.ECDSA_SHA256;
  private static final int USERS = 4;
  private static final int HASHES = 60;
  @TempDir Path dir;

  @Test
  void killingANodeUnderLoad_losesNothing_andTheNodeRejoins() throws Exception {
    String url = Cluster.databaseUrl();
    Cluster.emptyDatabase(url);
    Jdbi db = Jdbi.create(url, Cluster.DB_USER, Cluster.DB_PASSWORD);
    Clock clock = Clock.systemUTC();
    try (NodeProcess a = new NodeProcess(dir.resolve("a"), url).start()) {
      Cluster.seed(a.data(), dir.resolve("b"));
      try (NodeProcess b = new NodeProcess(dir.resolve("b"), url).start()) {
        AdminApi admin = new AdminApi(b.baseUrl(), b.tlsCertificate(), Cluster.ADMIN_TOKEN);
        Secret secret = Cluster.register(admin, "bank");
        DsmClient onA = Cluster.client(a.baseUrl(), a.tlsCertificate(), "bank", secret);
        DsmClient onB = Cluster.client(b.baseUrl(), b.tlsCertificate(), "bank", secret);

        // Each user authorises HASHES digests on B (the enrolment used the current step; the
        // next step's code is inside the accepted window and unused).
        List<Cluster.User> users = new ArrayList<>();
        List<String> sads = new ArrayList<>();
        List<List<byte[]>> digests = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
          Cluster.User u = Cluster.enrol(admin, "kill" + i, clock);
          List<byte[]> d = new ArrayList<>();
          for (int n = 0; n < HASHES; n++) {
            d.add(DigestAlgorithm.SHA256.digest((u.id() + "/" + n).getBytes()));
          }
          users.add(u);
          digests.add(d);
          sads.add(authorize(onB, u, d, clock));
        }

        // Load on A, one hash per call; A is killed once a quarter of the calls have answered.
        Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
        List<byte[]> unanswered = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger answeredByA = new AtomicInteger();
        CountDownLatch quarter = new CountDownLatch(USERS * HASHES / 4);
        ExecutorService pool = Executors.newFixedThreadPool(USERS);
        List<Future<?>> load = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
          Cluster.User u = users.get(i);
          String sad = sads.get(i);
          List<byte[]> d = digests.get(i);
          load.add(pool.submit(() -> {
            boolean aDown = false;
            for (byte[] digest : d) {
              if (!aDown) {
                try {
                  record(received, onB, u, onA.signHash(u.credentialId(), sad, ALGORITHM, List.of(digest)).get(0), digest);
                  answeredByA.incrementAndGet();
                  quarter.countDown();
                  continue;
                } catch (RemoteSigningException e) {
                  aDown = true; // the node went away: no answer for this digest
                  unanswered.add(digest);
                  continue;
                }
              }
              // The balancer's other node serves the rest.
              record(received, onB, u, onB.signHash(u.credentialId(), sad, ALGORITHM, List.of(digest)).get(0), digest);
            }
            return null;
          }));
        }
        assertThat(quarter.await(2, java.util.concurrent.TimeUnit.MINUTES))
            .as("a quarter of the calls answered by A").isTrue();
        a.kill();
        for (Future<?> f : load) {
          f.get();
        }
        pool.shutdown();

        // A digest whose call had no answer may or may not have been signed before the kill: on
        // B it is either signed now (A's transaction never committed) or refused as spent.
        int resignedOnB = 0;
        int spentByA = 0;
        for (byte[] digest : unanswered) {
          int owner = ownerOf(digests, digest);
          Cluster.User u = users.get(owner);
          try {
            record(received, onB, u, onB.signHash(u.credentialId(), sads.get(owner), ALGORITHM, List.of(digest))
                .get(0), digest);
            resignedOnB++;
          } catch (RemoteSigningException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(auditedDigest(db, digest)).as("refused as spent only if A committed it, with its record").isTrue();
            spentByA++; // signed and recorded on A; the answer was lost with the node
            assertThat(received).doesNotContainKey(HexFormat.of().formatHex(digest));
          }
        }

        assertThat(answeredByA.get()).isGreaterThanOrEqualTo(USERS * HASHES / 4);
        assertThat(received.size() + spentByA).as("every digest signed exactly once").isEqualTo(USERS * HASHES);
        assertThat(received.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        for (List<byte[]> d : digests) {
          for (byte[] digest : d) {
            assertThat(auditedDigest(db, digest)).as("a returned signature has its audit record").isTrue();
          }
        }
        long consumed = db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sad_digests WHERE consumed = TRUE")
            .mapTo(Long.class).one());
        assertThat(consumed).as("no digest consumed without a signature returned or recorded")
            .isEqualTo((long) USERS * HASHES);
        assertThat(new AuditTrail(db, clock).verify()).as("one valid chain after the kill").isEmpty();
        assertThat(spentByA).as("at most one call in flight per client when A died").isBetween(0, USERS);

        // A rejoins on the same data directory and ports, and serves a SAD authorised on B.
        a.start();
        onA.close();
        DsmClient again = Cluster.client(a.baseUrl(), a.tlsCertificate(), "bank", secret);
        Cluster.User late = Cluster.enrol(admin, "rejoin", clock);
        byte[] digest = DigestAlgorithm.SHA256.digest("after the restart".getBytes());
        String sad = authorize(onB, late, List.of(digest), clock);
        byte[] value = again.signHash(late.credentialId(), sad, ALGORITHM, List.of(digest)).get(0);
        assertThat(DigestSignatures.verify(Cluster.certificate(onB, late.credentialId()).getPublicKey(), ALGORITHM,
            digest, value)).isTrue();
        again.close();
        onB.close();
      }
    }
  }

  /** Counts a signature a client received, once checked against the certificate {@code via} lists. */
  private static void record(Map<String, AtomicInteger> received, DsmClient via, Cluster.User u, byte[] value,
      byte[] digest) {
    Cluster.assertSignedBy(via, u, digest, value);
    received.computeIfAbsent(HexFormat.of().formatHex(digest), k -> new AtomicInteger()).incrementAndGet();
  }

  private static int ownerOf(List<List<byte[]>> digests, byte[] digest) {
    for (int i = 0; i < digests.size(); i++) {
      for (byte[] d : digests.get(i)) {
        if (java.util.Arrays.equals(d, digest)) {
          return i;
        }
      }
    }
    throw new IllegalArgumentException("unknown digest");
  }

  private static boolean auditedDigest(Jdbi db, byte[] digest) {
    String hex = HexFormat.of().formatHex(digest);
    return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit WHERE event = 'signature.created'"
        + " AND LOWER(details) LIKE :hex").bind("hex", "%" + hex + "%").mapTo(Long.class).one()) == 1;
  }

  /** A code from the step after the current one: inside the accepted window, never the enrolment's step. */
  private static String authorize(DsmClient client, Cluster.User u, List<byte[]> digests, Clock clock) {
    String code = Totp.code(u.seed(), Totp.step(clock.instant()) + 1);
    try (Secret password = Secret.of(Cluster.PASSWORD); Secret otp = Secret.of(code)) {
      return client.authorize(u.credentialId(), DigestAlgorithm.SHA256, digests, password, otp).sad();
    }
  }
}
