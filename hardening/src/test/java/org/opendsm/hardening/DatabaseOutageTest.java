package org.opendsm.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.MutableClock;
import org.opendsm.testing.TrustingHttp;

/**
 * PostgreSQL stopped and started again under load ({@code DSM_TEST_PG_CTL stop|start}, .ci/pg-ctl.sh
 * in CI): while it is down every call fails cleanly with 503 and the CSC error JSON, never a 500;
 * once it is back the same node serves again without a restart, and nothing was half-done.
 */
@Tag("postgres")
class DatabaseOutageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void callsFailWith503WhileTheDatabaseIsDown_andTheNodeRecoversWithoutARestart() throws Exception {
    String url = Cluster.databaseUrl();
    String ctl = System.getenv("DSM_TEST_PG_CTL");
    if (ctl == null) {
      ExternalTools.skipOrFail("DSM_TEST_PG_CTL is not set: the script that stops and starts the test PostgreSQL"
          + " (.ci/pg-ctl.sh)");
    }
    Cluster.emptyDatabase(url);
    MutableClock clock = new MutableClock(Instant.now());
    try (ReferenceServer node = ReferenceServer.start(Cluster.config(dir, url), clock)) {
      AdminApi admin = new AdminApi(node.baseUrl(), node.tlsCertificate(), Cluster.ADMIN_TOKEN);
      Secret secret = Cluster.register(admin, "bank");
      Cluster.User u = Cluster.enrol(admin, "dora", clock);
      clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
      HttpClient http = TrustingHttp.client(node.tlsCertificate());
      String token = Cluster.serviceToken(http, node.baseUrl(), "bank", secret);

      // Load: timestamps and credential listings (each reads the database for the bearer token).
      AtomicBoolean running = new AtomicBoolean(true);
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      List<String> badBodies = java.util.Collections.synchronizedList(new ArrayList<>());
      ExecutorService load = Executors.newFixedThreadPool(3);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        boolean stamp = t != 2;
        workers.add(load.submit(() -> {
          while (running.get()) {
            HttpResponse<String> r = call(http, node.baseUrl(), token, stamp);
            statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
            if (r.statusCode() != 200 && !isUnavailable(r)) {
              badBodies.add(r.statusCode() + " " + r.body());
            }
          }
          return null;
        }));
      }
      Thread.sleep(1000);
      HttpResponse<String> down;
      HttpResponse<String> ready;
      assertThat(ExternalTools.run(dir, ctl, "stop").exitCode()).isZero();
      try {
        Thread.sleep(4000); // the load meets the outage meanwhile
        down = call(http, node.baseUrl(), token, true);
        ready = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/health/ready")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
      } finally {
        // Whatever happened, the database comes back for the tests after this one.
        assertThat(ExternalTools.run(dir, ctl, "start").exitCode()).isZero();
      }
      Instant deadline = Instant.now().plusSeconds(30);
      HttpResponse<String> back = call(http, node.baseUrl(), token, true);
      while (back.statusCode() != 200 && Instant.now().isBefore(deadline)) {
        Thread.sleep(200);
        back = call(http, node.baseUrl(), token, true);
      }
      Thread.sleep(1000);
      running.set(false);
      for (Future<?> w : workers) {
        w.get();
      }
      load.shutdown();

      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.headers().firstValue("Retry-After")).isPresent();
      assertThat(JSON.readTree(down.body()).get("error").asText()).isEqualTo("temporarily_unavailable");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("\"database\":\"DOWN");
      assertThat(back.statusCode()).as("the node serves again without a restart").isEqualTo(200);
      assertThat(statuses).containsKeys(200, 503);
      assertThat(badBodies).as("nothing but 200 or a clean 503").isEmpty();

      // And signing works on the same node, with the audit chain intact.
      try (DsmClient client = Cluster.client(node.baseUrl(), node.tlsCertificate(), "bank", secret);
          Secret password = Secret.of(Cluster.PASSWORD); Secret otp = Secret.of(u.code(clock))) {
        byte[] digest = DigestAlgorithm.SHA256.digest("after the outage".getBytes());
        String sad = client.authorize(u.credentialId(), DigestAlgorithm.SHA256, List.of(digest), password, otp).sad();
        Cluster.assertSignedBy(client, u, digest,
            client.signHash(u.credentialId(), sad, SignatureAlgorithm.ECDSA_SHA256, List.of(digest)).get(0));
      }
      assertThat(node.verifyAudit()).isEmpty();
    }
  }

  private static boolean isUnavailable(HttpResponse<String> r) {
    try {
      return r.statusCode() == 503 && JSON.readTree(r.body()).get("error").asText().equals("temporarily_unavailable");
    } catch (Exception e) {
      return false;
    }
  }

  private static HttpResponse<String> call(HttpClient http, URI base, String token, boolean timestamp) throws Exception {
    String path = timestamp ? "/csc/v2/signatures/timestamp" : "/csc/v2/credentials/list";
    String body = timestamp ? JSON.writeValueAsString(Map.of("hash", Base64.getEncoder().encodeToString(
        DigestAlgorithm.SHA256.digest(new byte[] {7})), "hashAlgorithmOID", DigestAlgorithm.SHA256.oid()))
        : JSON.writeValueAsString(Map.of("userID", "dora"));
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
