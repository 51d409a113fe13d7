package org.opendsm.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.util.encoders.Base32;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Document;
import org.opendsm.MediaType;
import org.opendsm.Secret;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.SignatureValue;
import org.opendsm.Signer;
import org.opendsm.client.AuthorizationProvider;
import org.opendsm.client.DsmClient;
import org.opendsm.client.RemoteSigner;
import org.opendsm.pades.PadesOptions;
import org.opendsm.pades.PadesService;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.ServerConfig;
import org.opendsm.server.internal.crypto.Argon2;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.MutableClock;
import org.opendsm.testing.TestPki;
import org.opendsm.testing.TrustingHttp;

/**
 * Remote against local PAdES-B signing of 1 MiB PDFs, same key type (EC P-256), measured in one
 * run after a warm-up: one document per round, local and remote interleaved (the remote overhead
 * with the server's own password-derivation time taken out), and batches of 100 under one
 * authorisation (throughput ratio). {@code RemoteVsLocal [rounds]}; {@code -Dwarmup.seconds},
 * {@code -Dbatch.rounds}. See benchmarks/README.md.
 */
public final class RemoteVsLocal {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "benchmark signing passphrase";

  private RemoteVsLocal() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path dir = Files.createTempDirectory("dsm-remote-bench");
    Document pdf = Document.of(Inputs.pdf(dir, 1 << 20));
    MutableClock clock = new MutableClock(Instant.now().minus(Duration.ofHours(2)));
    try (TestPki pki = TestPki.start();
        ReferenceServer server = ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(0)
            .withDataDirectory(dir.resolve("server")).withAdminToken(Secret.of("benchmark-admin-token")), clock)) {
      HttpClient http = TrustingHttp.client(server.tlsCertificate());
      JsonNode bank = post(http, server, "/admin/clients", Map.of("clientId", "bench", "name", "Bench"));
      String code = post(http, server, "/admin/users", Map.of("userId", "bench", "displayName", "Bench",
          "authMode", "explicit")).get("enrolmentCode").asText();
      String secret = post(http, server, "/enrol/begin", Map.of("code", code, "password", PASSWORD)).get("secret").asText();
      byte[] seed = Base32.decode(secret + "=".repeat((8 - secret.length() % 8) % 8));
      post(http, server, "/enrol/complete", Map.of("code", code, "password", PASSWORD,
          "otp", Totp.code(seed, Totp.step(clock.instant()))));
      try (DsmClient client = DsmClient.builder().baseUrl(server.baseUrl()).clientId("bench")
          .clientSecret(Secret.of(bank.get("clientSecret").asText())).trust(server.tlsCertificate()).build()) {
        Timed remote = new Timed(RemoteSigner.builder(client).userId("bench").authorization(r -> {
          clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
          return new AuthorizationProvider.Factors(Secret.of(PASSWORD), Secret.of(Totp.code(seed, Totp.step(clock.instant()))));
        }).build());
        Timed local = new Timed(pki.identity(KeyType.EC_P256).signer());
        PadesService pades = PadesService.create(ServiceSettings.defaults());
        PadesOptions options = PadesOptions.builder().build();

        String credentialId = client.listCredentials("bench").credentialIDs().get(0);
        byte[] digest = DigestAlgorithm.SHA256.digest(new byte[] {1});
        Work pair = () -> {
          clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
          String sad;
          try (Secret password = Secret.of(PASSWORD);
              Secret otp = Secret.of(Totp.code(seed, Totp.step(clock.instant())))) {
            sad = client.authorize(credentialId, DigestAlgorithm.SHA256, List.of(digest), password, otp).sad();
          }
          return client.signHash(credentialId, sad, SignatureAlgorithm.ECDSA_SHA256, List.of(digest));
        };

        // Warm up both paths until the JIT has compiled them: a signing service runs warm.
        long warmUntil = System.nanoTime() + Long.getLong("warmup.seconds", 60) * 1_000_000_000L;
        while (System.nanoTime() < warmUntil) {
          for (int i = 0; i < 20; i++) {
            client.info();
          }
          pades.sign(pdf, options, local);
          pades.sign(pdf, options, remote);
        }

        double infoMs = median(rounds, client::info);
        double kdfBefore = kdfSeconds(http, server);
        double pairMs = median(rounds, pair);
        double pairKdfMs = (kdfSeconds(http, server) - kdfBefore) * 1000 / rounds;
        System.out.printf("one CSC round trip (info over HTTPS, kept-alive connection): %.2f ms%n", infoMs);
        System.out.printf("authorize + signHash of one hash: %.2f ms, of which password derivation on the server"
            + " %.2f ms (mean)%n", pairMs, pairKdfMs);

        // One document, local and remote interleaved so that both meet the same machine state.
        double[] localMs = new double[rounds];
        double[] remoteMs = new double[rounds];
        double[] kdfMs = new double[rounds];
        double[] overheadMs = new double[rounds];
        double[] signerMs = new double[rounds];
        for (int i = 0; i < rounds; i++) {
          long t = System.nanoTime();
          pades.sign(Document.of(pdf.path().get()), options, local);
          localMs[i] = (System.nanoTime() - t) / 1e6;
          double kdf = kdfSeconds(http, server);
          remote.reset();
          t = System.nanoTime();
          pades.sign(Document.of(pdf.path().get()), options, remote);
          remoteMs[i] = (System.nanoTime() - t) / 1e6;
          kdfMs[i] = (kdfSeconds(http, server) - kdf) * 1000;
          signerMs[i] = remote.totalMs();
          overheadMs[i] = remoteMs[i] - localMs[i] - kdfMs[i];
        }
        double local1 = median(localMs);
        double overhead = median(overheadMs);
        System.out.printf("one 1 MiB PDF, PAdES-B, EC P-256 (medians of %d interleaved rounds)%n", rounds);
        System.out.printf("  local %.1f ms; remote %.1f ms, of which %.1f ms in the remote signer and %.1f ms"
            + " password derivation (Argon2id %s) on the server%n", local1, median(remoteMs), median(signerMs),
            median(kdfMs), Argon2.DEFAULT.encode());
        System.out.printf("  remote overhead without the password derivation: %.1f ms = %.0f %% of local"
            + " (target <= 25 %%)%n", overhead, 100 * overhead / local1);

        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          batch.add(Document.of(pdf.path().get()).withName("doc" + i + ".pdf", MediaType.PDF));
        }
        int batchRounds = Integer.getInteger("batch.rounds", 3);
        double[] ratios = new double[batchRounds];
        for (int r = 0; r < batchRounds; r++) {
          long t0 = System.nanoTime();
          pades.signAll(batch, options, local);
          long t1 = System.nanoTime();
          remote.reset();
          double kdf = kdfSeconds(http, server);
          pades.signAll(batch, options, remote);
          long t2 = System.nanoTime();
          double localRate = 100 / ((t1 - t0) / 1e9);
          double remoteRate = 100 / ((t2 - t1) / 1e9);
          ratios[r] = remoteRate / localRate;
          System.out.printf("100 PDFs of 1 MiB under one authorisation, round %d: local %.1f docs/s, remote %.1f"
              + " docs/s, ratio %.2f; %.0f %% of the remote time in the remote signer (round trips and server),"
              + " password derivation %.1f ms%n", r + 1, localRate, remoteRate, ratios[r],
              100 * remote.totalMs() / ((t2 - t1) / 1e6), (kdfSeconds(http, server) - kdf) * 1000);
        }
        System.out.printf("100 PDFs: median ratio %.2f (target >= 0.8)%n", median(ratios));
      }
    }
  }

  /** Counts the time spent in {@link Signer#signDigests}. */
  private static final class Timed implements Signer {
    private final Signer signer;
    private long nanos;

    Timed(Signer signer) {
      this.signer = signer;
    }

    void reset() {
      nanos = 0;
    }

    double totalMs() {
      return nanos / 1e6;
    }

    @Override
    public List<X509Certificate> certificateChain() {
      return signer.certificateChain();
    }

    @Override
    public SignatureAlgorithm signatureAlgorithm(DigestAlgorithm digestAlgorithm) {
      return signer.signatureAlgorithm(digestAlgorithm);
    }

    @Override
    public List<SignatureValue> signDigests(DigestAlgorithm algorithm, List<byte[]> digests) {
      long t = System.nanoTime();
      try {
        return signer.signDigests(algorithm, digests);
      } finally {
        nanos += System.nanoTime() - t;
      }
    }
  }

  private interface Work {
    Object run() throws Exception;
  }

  private static double median(int rounds, Work work) throws Exception {
    double[] ms = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      work.run();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    return median(ms);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static final Pattern KDF_SUM = Pattern.compile("(?m)^dsm_password_derivation_seconds_sum (\\S+)$");

  /** Total password-derivation time the server has spent, from its Prometheus metrics. */
  private static double kdfSeconds(HttpClient http, ReferenceServer server) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics"))
        .header("Authorization", "Bearer benchmark-admin-token").build(), HttpResponse.BodyHandlers.ofString());
    Matcher m = KDF_SUM.matcher(r.body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static JsonNode post(HttpClient http, ReferenceServer server, String path, Map<String, Object> body)
      throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Authorization", "Bearer benchmark-admin-token").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(path + " failed: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }
}
