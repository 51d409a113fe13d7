package org.opendsm.benchmarks;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
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
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
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
 * skips it), {@code -Dload.asps=1} (application providers: OAuth clients, each with its own
 * connection pool; users are spread over them). By default the server runs in this JVM with an
 * embedded database (or PostgreSQL with {@code DSM_JDBC_URL}, a PKCS#11 vault with
 * {@code DSM_PKCS11_LIBRARY}) and the harness plays the users' authenticator apps on the server's
 * clock, moving it in TOTP steps. {@code -Dload.server=https://127.0.0.1:8443} drives a running
 * server instead (loopback only; {@code -Dload.data=dsm-data} for its admin token, or
 * {@code DSM_ADMIN_TOKEN}, and its {@code tls.pem}): the codes then follow the real clock, so
 * {@code -Dload.users} (default 160 there, 40 in-process) bounds the authorisations per 30 s. SADs of 100
 * hashes are authorised ahead of each signHash cell (that phase gives the authorisation rate)
 * and spent in calls of the cell's batch size, so a cell measures signHash alone; a cell ends
 * early when its SADs are spent, and its rate counts only the time it ran.
 */
public final class LoadHarness {
  private static final String PASSWORD = "load harness signing passphrase";
  private static final String ADMIN = "load-harness-admin-token";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Clock clock;
  private final List<DsmClient> asps;
  private final List<User> users = new ArrayList<>();
  private int nextUser;
  private int enrolled;
  private String enrolPrefix = "u";

  private record User(String id, DsmClient asp, String credentialId, byte[] seed) {}

  private record Sad(DsmClient asp, String credentialId, String sad, List<byte[]> digests) {}

  /** One measured cell. */
  record Result(String what, int clients, long operations, long units, double seconds, double p50Ms, double p99Ms,
      long errors, long workerCpuNanos, long otherCpuNanos) {
    double unitsPerSecond() {
      return units / seconds;
    }

    /**
     * CPU per unit spent outside the harness's client threads: the server's work (request
     * handling, TLS, database, signing, GC of both sides) when it runs in this JVM.
     */
    double serverMicrosPerUnit() {
      return otherCpuNanos / 1e3 / units;
    }

    /** CPU per unit on the harness's own threads: the whole cost of an in-process cell. */
    double workerMicrosPerUnit() {
      return workerCpuNanos / 1e3 / units;
    }
  }

  private LoadHarness(Clock clock, List<DsmClient> asps) {
    this.clock = clock;
    this.asps = asps;
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    String remote = System.getProperty("load.server");
    if (remote == null) {
      MutableClock clock = new MutableClock(Instant.now());
      Path dir = Files.createTempDirectory("dsm-load");
      ServerConfig config = ServerConfig.defaults().withPort(0).withPkiPort(0).withDataDirectory(dir)
          .withAdminToken(Secret.of(ADMIN)).fromEnvironment(System.getenv());
      try (ReferenceServer server = ReferenceServer.start(config, clock)) {
        drive(server.baseUrl(), server.tlsCertificate(), ADMIN, clock, seconds, 40,
            config.jdbcUrl() == null ? "embedded H2" : "PostgreSQL");
      }
    } else {
      URI url = URI.create(remote);
      if (!InetAddress.getByName(url.getHost()).isLoopbackAddress()) {
        throw new IllegalArgumentException("The load harness drives loopback servers only, not " + url.getHost());
      }
      Path data = Path.of(System.getProperty("load.data", "dsm-data"));
      String token = System.getenv("DSM_ADMIN_TOKEN") != null ? System.getenv("DSM_ADMIN_TOKEN")
          : Files.readString(data.resolve("admin-token")).trim();
      X509Certificate tls;
      try (var in = Files.newInputStream(data.resolve("tls.pem"))) {
        tls = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      drive(url, tls, token, Clock.systemUTC(), seconds, 160, "of the running server at " + url);
    }
  }

  private static void drive(URI baseUrl, X509Certificate tls, String adminToken, Clock clock, int seconds,
      int defaultUsers, String database) throws Exception {
    List<KeySpec> keys = Arrays.stream(System.getProperty("load.keys", "EC_P256,RSA_2048").split(","))
        .map(KeySpec::parse).toList();
    int[] batches = ints(System.getProperty("load.batches", "1,10,100"));
    int[] clientCounts = ints(System.getProperty("load.clients", "1,4,16"));
    // A SAD lives 300 s (10 TOTP steps) and each user authorises once per step: enough users that
    // a cell's SADs are all authorised within a few steps and none expires before it is spent.
    int userCount = Integer.getInteger("load.users", Math.max(defaultUsers, Integer.getInteger("load.sads", 150) / 5));
    AdminApi admin = new AdminApi(baseUrl, tls, adminToken);
    String run = Long.toString(System.currentTimeMillis(), 36);
    List<DsmClient> asps = new ArrayList<>();
    try {
      for (int i = 0; i < Integer.getInteger("load.asps", 1); i++) {
        String id = "load-" + run + "-" + i;
        Secret secret = Secret.of(admin.post("/admin/clients", Map.of("clientId", id, "name", "Load " + i))
            .get("clientSecret").asText());
        asps.add(DsmClient.builder().baseUrl(baseUrl).clientId(id).clientSecret(secret).trust(tls)
            .readTimeout(Duration.ofSeconds(60)).build());
      }
      LoadHarness h = new LoadHarness(clock, asps);
      h.enrolPrefix = "load-" + run + "-u";
      boolean token = System.getenv("DSM_PKCS11_LIBRARY") != null;
      Providers provider = token ? Providers.PKCS11 : Providers.BC;
      System.out.printf("Machine: %d cores, Java %s; database %s; vault %s; %d application provider(s)%n",
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), database,
          token ? "PKCS#11 (" + System.getenv("DSM_PKCS11_LIBRARY") + ")" : "software (Bouncy Castle)", asps.size());
      Results results = new Results();
      for (KeySpec key : keys) {
        h.enrol(admin, key, userCount);
        SignatureAlgorithm algorithm = key.algorithm().equals("EC") ? SignatureAlgorithm.ECDSA_SHA256
            : SignatureAlgorithm.RSA_SHA256;
        // Warm-up, not reported: the JIT compiles both paths before anything is measured.
        baseline(provider, key, algorithm, 2, Math.max(3, seconds / 2));
        h.signHashCell(key, algorithm, 10, 2, Math.max(3, seconds / 2));
        for (int clients : clientCounts) {
          results.add(baseline(provider, key, algorithm, clients, seconds));
        }
        for (int batch : batches) {
          for (int clients : clientCounts) {
            results.addAll(h.signHashCell(key, algorithm, batch, clients, seconds));
          }
        }
        h.users.clear();
      }
      h.timestamps(2, Math.max(3, seconds / 2)); // warm-up
      for (int clients : clientCounts) {
        results.add(h.timestamps(clients, seconds));
      }
      h.enrol(admin, KeySpec.EC_P256, 1);
      h.ocsp(2, Math.max(3, seconds / 2)); // warm-up
      for (int clients : clientCounts) {
        results.add(h.ocsp(clients, seconds));
      }
      System.out.println();
    } finally {
      for (DsmClient c : asps) {
        c.close();
      }
    }
  }

  /**
   * In-process: the provider the vault signs with (Bouncy Castle, or the PKCS#11 token) and the
   * same key type, signing 32-byte digests: the ceiling for signHash.
   */
  private static Result baseline(Providers provider, KeySpec key, SignatureAlgorithm algorithm, int clients,
      int seconds) throws Exception {
    KeyPair pair = provider.generate(key);
    Provider jca = provider.provider(key);
    byte[] digest = DigestAlgorithm.SHA256.digest(new byte[] {1});
    return run("in-process sign " + key + " (" + provider + ")", clients, seconds, () -> {
      DigestSignatures.sign(jca, pair.getPrivate(), algorithm, digest);
      return 1;
    });
  }

  private void enrol(AdminApi admin, KeySpec key, int count) {
    for (int i = 0; i < count; i++) {
      String id = enrolPrefix + (++enrolled);
      String code = admin.post("/admin/users", Map.of("userId", id, "displayName", "Load " + i, "authMode", "explicit"))
          .get("enrolmentCode").asText();
      String totp = admin.post("/enrol/begin", Map.of("code", code, "password", PASSWORD)).get("secret").asText();
      byte[] seed = Base32.decode(totp + "=".repeat((8 - totp.length() % 8) % 8));
      String credential = admin.post("/enrol/complete", Map.of("code", code, "password", PASSWORD, "keyType", key.name(),
          "otp", Totp.code(seed, Totp.step(clock.instant())))).get("credentialID").asText();
      users.add(new User(id, asps.get(enrolled % asps.size()), credential, seed));
    }
    nextStep();
    nextUser = 0;
  }

  /**
   * Past the TOTP step every user has used: the in-process server's clock moves on; a running
   * server's clock is the real one, so the harness waits for the next step.
   */
  private void nextStep() {
    if (clock instanceof MutableClock m) {
      m.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
      return;
    }
    long step = Totp.step(clock.instant());
    while (Totp.step(clock.instant()) == step) {
      LockSupport.parkNanos(50_000_000L);
    }
  }

  /** A user and a code of a TOTP step that user has not used yet. */
  private record Authoriser(User user, String otp) {}

  /** The next user in turn; the clock moves one TOTP step once every user has had one. */
  private synchronized Authoriser nextAuthoriser() {
    if (nextUser == users.size()) {
      nextStep();
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
      pool.add(new Sad(u.asp(), u.credentialId(), u.asp().authorize(u.credentialId(), DigestAlgorithm.SHA256, digests,
          password, otp).sad(), digests));
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
    s.asp().signHash(s.credentialId(), s.sad(), algorithm, chunk);
    return chunk.size();
  }

  private Result timestamps(int clients, int seconds) throws Exception {
    return run("timestamp (CSC signatures/timestamp, RFC 3161)", clients, seconds, () -> {
      asps.get((int) (Thread.currentThread().getId() % asps.size())).timestamp(DigestAlgorithm.SHA256,
          randomDigests(1).get(0));
      return 1;
    });
  }

  /** OCSP (RFC 6960) for a user's certificate over the plain-HTTP PKI port, as relying parties ask. */
  private Result ocsp(int clients, int seconds) throws Exception {
    User user = users.get(0);
    var chain = user.asp().credentialInfo(user.credentialId()).cert().certificates();
    var factory = CertificateFactory.getInstance("X.509");
    X509Certificate cert = (X509Certificate) factory.generateCertificate(
        new ByteArrayInputStream(Base64.getDecoder().decode(chain.get(0))));
    X509Certificate issuer = (X509Certificate) factory.generateCertificate(
        new ByteArrayInputStream(Base64.getDecoder().decode(chain.get(1))));
    var digest = new JcaDigestCalculatorProviderBuilder().build()
        .get(CertificateID.HASH_SHA1);
    byte[] request = new OCSPReqBuilder().addRequest(new CertificateID(
        digest, new JcaX509CertificateHolder(issuer), cert.getSerialNumber())).build()
        .getEncoded();
    HttpClient http = HttpClient.newHttpClient();
    URI url = ocspUrl(cert);
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

  /** The responder the certificate names in its authority information access extension. */
  private static URI ocspUrl(X509Certificate cert) throws Exception {
    AuthorityInformationAccess aia = AuthorityInformationAccess.fromExtensions(
        new JcaX509CertificateHolder(cert).getExtensions());
    for (AccessDescription d : aia.getAccessDescriptions()) {
      if (d.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
        return URI.create(DERIA5String.getInstance(d.getAccessLocation().getName()).getString());
      }
    }
    throw new IllegalStateException("The certificate names no OCSP responder");
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
    AtomicLong workerCpu = new AtomicLong();
    long processCpuStart = PROCESS.getProcessCpuTime();
    List<Future<long[]>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      futures.add(pool.submit(() -> {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
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
        workerCpu.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuStart);
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
    long processCpu = PROCESS.getProcessCpuTime() - processCpuStart;
    pool.shutdown();
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Result(what, clients, sorted.length, units.get(), elapsed, percentile(sorted, 0.50),
        percentile(sorted, 0.99), errors.get(), workerCpu.get(), processCpu - workerCpu.get());
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
      System.out.printf("| %-46s | %7s | %10s | %12s | %8s | %8s | %6s | %12s | %12s |%n", "measure", "clients",
          "calls", "units/s", "p50 ms", "p99 ms", "errors", "client µs/u", "other µs/u");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    }

    void add(Result r) {
      System.out.printf("| %-46s | %7d | %10d | %12.1f | %8.2f | %8.2f | %6d | %12.1f | %12.1f |%n", r.what(),
          r.clients(), r.operations(), r.unitsPerSecond(), r.p50Ms(), r.p99Ms(), r.errors(), r.workerMicrosPerUnit(),
          r.serverMicrosPerUnit());
      System.out.flush();
    }

    void addAll(List<Result> rs) {
      rs.forEach(this::add);
    }
  }
}
