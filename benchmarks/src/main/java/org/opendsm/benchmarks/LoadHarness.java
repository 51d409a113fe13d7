package org.opendsm.benchmarks;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.encoders.Base32;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.client.DsmClient;
import org.opendsm.internal.DigestSignatures;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.ServerConfig;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.server.internal.vault.KeySpec;
import org.opendsm.testing.AdminApi;
import org.opendsm.testing.MutableClock;

/**
 * Load on the reference server over HTTPS on loopback, each figure beside a baseline measured in
 * the same run: signHash throughput per key type, batch size and number of concurrent clients
 * against in-process signing with the same provider (Bouncy Castle, as the vault signs); explicit
 * authorisations per second (Argon2id included); RFC 3161 timestamps per second. p50 and p99
 * latency per call, and errors.
 *
 * <p>{@code LoadHarness [seconds per cell, default 10]}; {@code -Dload.keys=EC_P256,RSA_2048},
 * {@code -Dload.batches=1,10,100}, {@code -Dload.clients=1,4,16}, {@code -Dload.sads=150},
 * {@code -Dload.paced=0.8} (each signHash cell again, open loop at that share of its peak; 0
 * skips it). The
 * server runs in this JVM with an embedded database (or PostgreSQL with {@code DSM_JDBC_URL});
 * the harness plays the users' authenticator apps, so its clock moves in TOTP steps. SADs of 100
 * hashes are authorised ahead of each signHash cell (that phase gives the authorisation rate)
 * and spent in calls of the cell's batch size, so a cell measures signHash alone; a cell ends
 * early when its SADs are spent, and its rate counts only the time it ran.
 */
public final class LoadHarness {
  private static final String PASSWORD = "load harness signing passphrase";
  private static final String ADMIN = "load-harness-admin-token";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ReferenceServer server;
  private final MutableClock clock;
  private final DsmClient client;
  private final List<User> users = new ArrayList<>();
  private int nextUser;
  private int enrolled;

  private record User(String id, String credentialId, byte[] seed) {}

  private record Sad(String credentialId, String sad, List<byte[]> digests) {}

  /** One measured cell. */
  record Result(String what, int clients, long operations, long units, double seconds, double p50Ms, double p99Ms,
      long errors) {
    double unitsPerSecond() {
      return units / seconds;
    }
  }

  private LoadHarness(ReferenceServer server, MutableClock clock, DsmClient client) {
    this.server = server;
    this.clock = clock;
    this.client = client;
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    List<KeySpec> keys = Arrays.stream(System.getProperty("load.keys", "EC_P256,RSA_2048").split(","))
        .map(KeySpec::parse).toList();
    int[] batches = ints(System.getProperty("load.batches", "1,10,100"));
    int[] clientCounts = ints(System.getProperty("load.clients", "1,4,16"));
    MutableClock clock = new MutableClock(Instant.now());
    Path dir = Files.createTempDirectory("dsm-load");
    ServerConfig config = ServerConfig.defaults().withPort(0).withPkiPort(0).withDataDirectory(dir)
        .withAdminToken(Secret.of(ADMIN)).fromEnvironment(System.getenv());
    try (ReferenceServer server = ReferenceServer.start(config, clock)) {
      AdminApi admin = new AdminApi(server.baseUrl(), server.tlsCertificate(), ADMIN);
      Secret secret = Secret.of(admin.post("/admin/clients", Map.of("clientId", "load", "name", "Load"))
          .get("clientSecret").asText());
      try (DsmClient client = DsmClient.builder().baseUrl(server.baseUrl()).clientId("load").clientSecret(secret)
          .trust(server.tlsCertificate()).readTimeout(Duration.ofSeconds(60)).build()) {
        LoadHarness h = new LoadHarness(server, clock, client);
        System.out.printf("Machine: %d cores, Java %s; database %s%n", Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"), System.getenv().getOrDefault("DSM_JDBC_URL", "embedded H2"));
        Results results = new Results();
        for (KeySpec key : keys) {
          h.enrol(admin, key, 40);
          SignatureAlgorithm algorithm = key.algorithm().equals("EC") ? SignatureAlgorithm.ECDSA_SHA256
              : SignatureAlgorithm.RSA_SHA256;
          // Warm-up, not reported: the JIT compiles both paths before anything is measured.
          baseline(key, algorithm, 2, Math.max(3, seconds / 2));
          h.signHashCell(key, algorithm, 10, 2, Math.max(3, seconds / 2));
          for (int clients : clientCounts) {
            results.add(baseline(key, algorithm, clients, seconds));
          }
          for (int batch : batches) {
            for (int clients : clientCounts) {
              results.addAll(h.signHashCell(key, algorithm, batch, clients, seconds));
            }
          }
          h.users.clear();
        }
        for (int clients : clientCounts) {
          results.add(h.timestamps(clients, seconds));
        }
        h.enrol(admin, KeySpec.EC_P256, 1);
        for (int clients : clientCounts) {
          results.add(h.ocsp(clients, seconds));
        }
        System.out.println();
      }
    }
  }

  /** In-process: the same provider and key type, signing 32-byte digests, the ceiling for signHash. */
  private static Result baseline(KeySpec key, SignatureAlgorithm algorithm, int clients, int seconds) throws Exception {
    KeyPair pair = key.generate();
    byte[] digest = DigestAlgorithm.SHA256.digest(new byte[] {1});
    return run("in-process sign " + key, clients, seconds, () -> {
      sign(pair.getPrivate(), algorithm, digest);
      return 1;
    });
  }

  private static void sign(PrivateKey key, SignatureAlgorithm algorithm, byte[] digest) throws Exception {
    DigestSignatures.sign(DigestSignatures.bouncyCastle(), key, algorithm, digest);
  }

  private void enrol(AdminApi admin, KeySpec key, int count) {
    for (int i = 0; i < count; i++) {
      String id = "u" + (++enrolled);
      String code = admin.post("/admin/users", Map.of("userId", id, "displayName", "Load " + i, "authMode", "explicit"))
          .get("enrolmentCode").asText();
      String totp = admin.post("/enrol/begin", Map.of("code", code, "password", PASSWORD)).get("secret").asText();
      byte[] seed = Base32.decode(totp + "=".repeat((8 - totp.length() % 8) % 8));
      String credential = admin.post("/enrol/complete", Map.of("code", code, "password", PASSWORD, "keyType", key.name(),
          "otp", Totp.code(seed, Totp.step(clock.instant())))).get("credentialID").asText();
      users.add(new User(id, credential, seed));
    }
    clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    nextUser = 0;
  }

  /** A user and a code of a TOTP step that user has not used yet. */
  private record Authoriser(User user, String otp) {}

  /** The next user in turn; the clock moves one TOTP step once every user has had one. */
  private synchronized Authoriser nextAuthoriser() {
    if (nextUser == users.size()) {
      clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
      nextUser = 0;
    }
    User u = users.get(nextUser++);
    return new Authoriser(u, Totp.code(u.seed(), Totp.step(clock.instant())));
  }

  /**
   * Authorises SADs of 100 hashes ahead of the cell (from {@code clients} threads: the
   * authorisation rate, Argon2id included), then spends them in calls of {@code batch} hashes
   * from {@code clients} threads, each thread one SAD at a time, for {@code seconds} at most.
   */
  private List<Result> signHashCell(KeySpec key, SignatureAlgorithm algorithm, int batch, int clients, int seconds)
      throws Exception {
    int sads = Integer.getInteger("load.sads", 150);
    ConcurrentLinkedQueue<Sad> pool = new ConcurrentLinkedQueue<>();
    AtomicLong authorised = new AtomicLong();
    Result authorisations = run("authorize " + key + " (100 hashes, Argon2id)", clients, 3600,
        () -> authorised.incrementAndGet() > sads ? -1 : authorise(pool));
    ThreadLocal<Sad> current = new ThreadLocal<>();
    ThreadLocal<Integer> offset = ThreadLocal.withInitial(() -> 0);
    Result signing = run("signHash " + key + ", " + batch + " per call", clients, seconds,
        () -> spend(pool, current, offset, batch, algorithm));
    List<Result> out = new ArrayList<>(batch == 100 ? List.of(authorisations, signing) : List.of(signing));
    double share = Double.parseDouble(System.getProperty("load.paced", "0.8"));
    if (share > 0 && signing.operations() > 0) {
      // The same cell again, open loop at a share of the peak it just measured: latency counts
      // from each call's scheduled start, so a backlog shows (no coordinated omission).
      authorised.set(0);
      run("authorize (for the paced pass)", clients, 3600, () -> authorised.incrementAndGet() > sads ? -1
          : authorise(pool));
      double callsPerSecond = share * signing.operations() / signing.seconds();
      current.remove();
      out.add(run(String.format("signHash %s, %d per call, at %.0f%% of peak", key, batch, share * 100), clients,
          seconds, callsPerSecond, () -> spend(pool, current, offset, batch, algorithm)));
    }
    return out;
  }

  private long authorise(ConcurrentLinkedQueue<Sad> pool) {
    Authoriser a = nextAuthoriser();
    User u = a.user();
    List<byte[]> digests = randomDigests(100);
    try (Secret password = Secret.of(PASSWORD); Secret otp = Secret.of(a.otp())) {
      pool.add(new Sad(u.credentialId(), client.authorize(u.credentialId(), DigestAlgorithm.SHA256, digests, password,
          otp).sad(), digests));
    }
    return 1;
  }

  private long spend(ConcurrentLinkedQueue<Sad> pool, ThreadLocal<Sad> current, ThreadLocal<Integer> offset, int batch,
      SignatureAlgorithm algorithm) {
    Sad s = current.get();
    if (s == null || offset.get() >= s.digests().size()) {
      s = pool.poll();
      if (s == null) {
        return -1;
      }
      current.set(s);
      offset.set(0);
    }
    int from = offset.get();
    List<byte[]> chunk = s.digests().subList(from, Math.min(s.digests().size(), from + batch));
    offset.set(from + chunk.size());
    client.signHash(s.credentialId(), s.sad(), algorithm, chunk);
    return chunk.size();
  }

  private Result timestamps(int clients, int seconds) throws Exception {
    return run("timestamp (CSC signatures/timestamp, RFC 3161)", clients, seconds, () -> {
      client.timestamp(DigestAlgorithm.SHA256, randomDigests(1).get(0));
      return 1;
    });
  }

  /** OCSP (RFC 6960) for a user's certificate over the plain-HTTP PKI port, as relying parties ask. */
  private Result ocsp(int clients, int seconds) throws Exception {
    var info = client.credentialInfo(users.get(0).credentialId());
    var factory = CertificateFactory.getInstance("X.509");
    X509Certificate cert = (X509Certificate) factory.generateCertificate(
        new ByteArrayInputStream(Base64.getDecoder().decode(info.cert().certificates().get(0))));
    X509Certificate issuer = server.issuingCaCertificate();
    var digest = new JcaDigestCalculatorProviderBuilder().build()
        .get(CertificateID.HASH_SHA1);
    byte[] request = new OCSPReqBuilder().addRequest(new CertificateID(
        digest, new JcaX509CertificateHolder(issuer), cert.getSerialNumber())).build()
        .getEncoded();
    HttpClient http = HttpClient.newHttpClient();
    URI url = URI.create(server.pkiUrl() + "/pki/ocsp");
    return run("OCSP response (HTTP /pki/ocsp)", clients, seconds, () -> {
      var r = http.send(HttpRequest.newBuilder(url).header("Content-Type", "application/ocsp-request")
          .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("OCSP answered " + r.statusCode());
      }
      return 1;
    });
  }

  private interface Op {
    /** Units done (signatures, tokens), or -1 when there is nothing left to do. */
    long run() throws Exception;
  }

  /** {@code clients} threads repeat {@code op} for {@code seconds} (or until it runs dry), as fast as they can. */
  private static Result run(String what, int clients, int seconds, Op op) throws Exception {
    return run(what, clients, seconds, 0, op);
  }

  /**
   * As above; with {@code callsPerSecond > 0} the threads share a fixed schedule of calls instead
   * (open loop), and a call's latency counts from its scheduled start, so a backlog shows.
   */
  private static Result run(String what, int clients, int seconds, double callsPerSecond, Op op) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long interval = callsPerSecond > 0 ? (long) (1e9 / callsPerSecond) : 0;
    AtomicLong slot = new AtomicLong();
    AtomicLong units = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<Future<long[]>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      futures.add(pool.submit(() -> {
        long[] latencies = new long[1024];
        int n = 0;
        while (true) {
          long from = interval > 0 ? start + slot.getAndIncrement() * interval : System.nanoTime();
          if (from >= end) {
            break;
          }
          long wait = from - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
          long done;
          try {
            done = op.run();
          } catch (Exception e) {
            errors.incrementAndGet();
            continue;
          }
          if (done < 0) {
            break;
          }
          if (n == latencies.length) {
            latencies = Arrays.copyOf(latencies, n * 2);
          }
          latencies[n++] = System.nanoTime() - from;
          units.addAndGet(done);
        }
        return Arrays.copyOf(latencies, n);
      }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<long[]> f : futures) {
      for (long l : f.get()) {
        all.add(l);
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Result(what, clients, sorted.length, units.get(), elapsed, percentile(sorted, 0.50),
        percentile(sorted, 0.99), errors.get());
  }


  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
  }

  private static List<byte[]> randomDigests(int n) {
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] d = new byte[32];
      RANDOM.nextBytes(d);
      out.add(d);
    }
    return out;
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  /** Prints each result as it is measured, under one table header: a long run shows its progress. */
  private static final class Results {
    Results() {
      System.out.println();
      System.out.printf("| %-46s | %7s | %10s | %12s | %8s | %8s | %6s |%n", "measure", "clients", "calls", "units/s",
          "p50 ms", "p99 ms", "errors");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    }

    void add(Result r) {
      System.out.printf("| %-46s | %7d | %10d | %12.1f | %8.2f | %8.2f | %6d |%n", r.what(), r.clients(),
          r.operations(), r.unitsPerSecond(), r.p50Ms(), r.p99Ms(), r.errors());
      System.out.flush();
    }

    void addAll(List<Result> rs) {
      rs.forEach(this::add);
    }
  }
}
