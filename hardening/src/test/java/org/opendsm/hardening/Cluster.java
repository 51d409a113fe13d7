package org.opendsm.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.util.encoders.Base32;
import org.jdbi.v3.core.Jdbi;
import org.opendsm.Secret;
import org.opendsm.client.DsmClient;
import org.opendsm.internal.Dss;
import org.opendsm.server.ServerConfig;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.AdminApi;
import org.opendsm.testing.ExternalTools;

/**
 * Nodes of one signing service on the PostgreSQL of {@code DSM_TEST_PG_URL} (started by .ci/run):
 * every node has its own data directory, seeded from the first node's with the master key and
 * the TLS identity, as an operator deploys them behind one load balancer.
 */
final class Cluster {
  static final String ADMIN_TOKEN = "cluster-test-admin-token";
  /** Test fixture: the master key's passphrase of these throw-away nodes. */
  static final String MASTER_PASSPHRASE = "cluster test master passphrase";
  static final String PASSWORD = "a long signing passphrase";
  static final String DB_USER = "dsm";
  static final String DB_PASSWORD = "dsm";

  private Cluster() {}

  /** The test database's URL, or the test is skipped (failed under CI). */
  static String databaseUrl() {
    String url = System.getenv("DSM_TEST_PG_URL");
    if (url == null) {
      ExternalTools.skipOrFail("No PostgreSQL: run .ci/pg-start.sh and export DSM_TEST_PG_URL=jdbc:postgresql://127.0.0.1:55432/dsm");
    }
    return url;
  }

  /** Drops everything in the test database: each test class starts a fresh service. */
  static void emptyDatabase(String url) {
    Jdbi.create(url, DB_USER, DB_PASSWORD).useHandle(h -> h.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public"));
  }

  /** The environment of a node: the shared database and master passphrase, the admin token. */
  static Map<String, String> environment(String url) {
    return Map.of("DSM_JDBC_URL", url, "DSM_JDBC_USER", DB_USER, "DSM_JDBC_PASSWORD", DB_PASSWORD,
        "DSM_MASTER_PASSPHRASE", MASTER_PASSPHRASE, "DSM_ADMIN_TOKEN", ADMIN_TOKEN);
  }

  /** An in-process node's configuration on ephemeral ports. */
  static ServerConfig config(Path data, String url) {
    return ServerConfig.defaults().withPort(0).withPkiPort(0).withDataDirectory(data).fromEnvironment(environment(url));
  }

  /** Closes each of {@code resources} (nulls skipped), the next one even if one fails. */
  static void closeAll(AutoCloseable... resources) {
    for (AutoCloseable c : resources) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // the next one still closes
      }
    }
  }

  /** Gives {@code next} the first node's master key and TLS identity. */
  static void seed(Path first, Path next) throws IOException {
    Files.createDirectories(next);
    for (String file : new String[] {"master-key.p12", "tls.p12"}) {
      Files.copy(first.resolve(file), next.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** A CSC client of {@code node} for the application provider {@code clientId}. */
  static DsmClient client(java.net.URI node, X509Certificate tls, String clientId, Secret secret) {
    return DsmClient.builder().baseUrl(node).clientId(clientId).clientSecret(secret).trust(tls).build();
  }

  /** Registers an application provider; returns its secret. */
  static Secret register(AdminApi admin, String clientId) {
    return Secret.of(admin.post("/admin/clients", Map.of("clientId", clientId, "name", "Test " + clientId))
        .get("clientSecret").asText());
  }

  /** A service-scope access token of {@code clientId} (client credentials grant), for raw HTTP calls. */
  static String serviceToken(java.net.http.HttpClient http, java.net.URI node, String clientId, Secret secret)
      throws Exception {
    var reply = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node + "/oauth2/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + clientId
            + "&client_secret=" + secret.reveal())).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(reply.body()).get("access_token").asText();
  }

  /** An enrolled user in explicit mode: the credential and the authenticator's seed. */
  record User(String id, String credentialId, byte[] seed) {
    /** The code this user's authenticator shows at {@code clock}'s time. */
    String code(Clock clock) {
      return Totp.code(seed, Totp.step(clock.instant()));
    }
  }

  /** Enrols {@code id} through {@code admin}'s node, confirming with the code of the current step. */
  static User enrol(AdminApi admin, String id, Clock clock) {
    String code = admin.post("/admin/users", Map.of("userId", id, "displayName", "User " + id, "authMode", "explicit"))
        .get("enrolmentCode").asText();
    String secret = admin.post("/enrol/begin", Map.of("code", code, "password", PASSWORD)).get("secret").asText();
    byte[] seed = Base32.decode(secret + "=".repeat((8 - secret.length() % 8) % 8));
    JsonNode done = admin.post("/enrol/complete", Map.of("code", code, "password", PASSWORD, "keyType", "EC_P256",
        "otp", Totp.code(seed, Totp.step(clock.instant()))));
    String credential = done.get("credentialID").asText();
    return new User(id, credential, seed);
  }

  /** Asserts that {@code value} is {@code u}'s ECDSA P-256 signature of {@code digest}, by the listed certificate. */
  static byte[] assertSignedBy(DsmClient client, User u, byte[] digest, byte[] value) {
    X509Certificate cert = CERTIFICATES.computeIfAbsent(u.credentialId(), id -> certificate(client, id));
    org.assertj.core.api.Assertions.assertThat(org.opendsm.internal.DigestSignatures.verify(cert.getPublicKey(),
        org.opendsm.SignatureAlgorithm.ECDSA_SHA256, digest, value)).as("signature of " + u.id()).isTrue();
    return value;
  }

  private static final Map<String, X509Certificate> CERTIFICATES = new java.util.concurrent.ConcurrentHashMap<>();

  /** The user's signing certificate, as the service lists it. */
  static X509Certificate certificate(DsmClient client, String credentialId) {
    return Dss.parseCertificate(Base64.getDecoder().decode(
        client.credentialInfo(credentialId).cert().certificates().get(0)));
  }
}
