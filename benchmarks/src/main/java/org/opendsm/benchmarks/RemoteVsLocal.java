package org.opendsm.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.util.encoders.Base32;
import org.opendsm.Document;
import org.opendsm.MediaType;
import org.opendsm.Secret;
import org.opendsm.ServiceSettings;
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

/**
 * Remote against local PAdES-B signing of 1 MiB PDFs, same key type (EC P-256), measured in one
 * run: one document (remote overhead with the password KDF reported apart) and a batch of 100
 * under one authorisation (throughput ratio). {@code RemoteVsLocal [rounds]}.
 */
public final class RemoteVsLocal {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "benchmark signing passphrase";

  private RemoteVsLocal() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path dir = Files.createTempDirectory("dsm-remote-bench");
    Document pdf = Document.of(Inputs.pdf(dir, 1 << 20));
    MutableClock clock = new MutableClock(Instant.now().minus(Duration.ofHours(2)));
    try (TestPki pki = TestPki.start();
        ReferenceServer server = ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(0)
            .withDataDirectory(dir.resolve("server")).withAdminToken(Secret.of("benchmark-admin-token")), clock)) {
      HttpClient http = org.opendsm.testing.TrustingHttp.client(server.tlsCertificate());
      JsonNode bank = post(http, server, "/admin/clients", Map.of("clientId", "bench", "name", "Bench"));
      String code = post(http, server, "/admin/users", Map.of("userId", "bench", "displayName", "Bench",
          "authMode", "explicit")).get("enrolmentCode").asText();
      String secret = post(http, server, "/enrol/begin", Map.of("code", code, "password", PASSWORD)).get("secret").asText();
      byte[] seed = Base32.decode(secret + "=".repeat((8 - secret.length() % 8) % 8));
      post(http, server, "/enrol/complete", Map.of("code", code, "password", PASSWORD,
          "otp", Totp.code(seed, Totp.step(clock.instant()))));
      try (DsmClient client = DsmClient.builder().baseUrl(server.baseUrl()).clientId("bench")
          .clientSecret(Secret.of(bank.get("clientSecret").asText())).trust(server.tlsCertificate()).build()) {
        Signer remote = RemoteSigner.builder(client).userId("bench").authorization(r -> {
          clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
          return new AuthorizationProvider.Factors(Secret.of(PASSWORD), Secret.of(Totp.code(seed, Totp.step(clock.instant()))));
        }).build();
        Signer local = pki.identity(KeyType.EC_P256).signer();
        PadesService pades = PadesService.create(ServiceSettings.defaults());
        PadesOptions options = PadesOptions.builder().build();

        for (int i = 0; i < 5; i++) {
          pades.sign(pdf, options, local);
          pades.sign(pdf, options, remote);
        }
        double infoMs = median(rounds, client::info);
        System.out.printf("one CSC round trip (info over HTTPS, kept-alive connection): %.2f ms%n", infoMs);
        double localMs = median(rounds, () -> pades.sign(Document.of(pdf.path().get()), options, local));
        double remoteMs = median(rounds, () -> pades.sign(Document.of(pdf.path().get()), options, remote));
        double kdfMs = median(rounds, () -> Argon2.DEFAULT.derive(PASSWORD.getBytes(), new byte[16], 32));
        double overhead = remoteMs - localMs - kdfMs;
        System.out.printf("one 1 MiB PDF, PAdES-B, EC P-256 (median of %d)%n", rounds);
        System.out.printf("  local %.1f ms, remote %.1f ms, of which Argon2id %s %.1f ms%n", localMs, remoteMs,
            Argon2.DEFAULT.encode(), kdfMs);
        System.out.printf("  remote overhead without the KDF: %.1f ms = %.0f %% of local (target <= 25 %%)%n",
            overhead, 100 * overhead / localMs);

        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          batch.add(Document.of(pdf.path().get()).withName("doc" + i + ".pdf", MediaType.PDF));
        }
        long t0 = System.nanoTime();
        pades.signAll(batch, options, local);
        long t1 = System.nanoTime();
        pades.signAll(batch, options, remote);
        long t2 = System.nanoTime();
        double localRate = 100 / ((t1 - t0) / 1e9);
        double remoteRate = 100 / ((t2 - t1) / 1e9);
        System.out.printf("100 PDFs of 1 MiB under one authorisation%n");
        System.out.printf("  local %.1f docs/s, remote %.1f docs/s: ratio %.2f (target >= 0.8)%n", localRate, remoteRate,
            remoteRate / localRate);
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
    java.util.Arrays.sort(ms);
    return ms[rounds / 2];
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
