package org.opendsm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.util.encoders.Base32;
import org.opendsm.Secret;
import org.opendsm.client.AuthorizationProvider;
import org.opendsm.client.DsmClient;
import org.opendsm.client.RemoteSigner;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.internal.crypto.Totp;
import org.opendsm.testing.MutableClock;

/**
 * The demo's signing service: a reference server on free ports with a throw-away data directory,
 * an ASP registered as a client, and a demo user enrolled in explicit mode whose authenticator app
 * the demo plays (it holds the TOTP seed). Each step that fails says which.
 */
final class RemoteDemo implements AutoCloseable {
  static final String PASSWORD = "demo signing passphrase";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ReferenceServer server;
  private final MutableClock clock;
  private final Secret adminToken;
  private final HttpClient http;
  private byte[] seed;
  private DsmClient client;
  private Secret clientSecret;

  RemoteDemo(java.nio.file.Path data) throws Exception {
    // The demo plays the user's authenticator: each authorisation needs a code of a new 30 s step,
    // so the server's clock starts two minutes back and moves one step per authorisation.
    clock = new MutableClock(Instant.now().minus(Duration.ofMinutes(2)));
    byte[] token = new byte[24];
    new SecureRandom().nextBytes(token);
    adminToken = Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(token));
    server = ReferenceServer.start(org.opendsm.server.ServerConfig.defaults().withPort(0).withPkiPort(0)
        .withDataDirectory(data).withAdminToken(adminToken), clock);
    http = org.opendsm.testing.TrustingHttp.client(server.tlsCertificate());
  }

  ReferenceServer server() {
    return server;
  }

  /** Registers the demo bank and enrols the demo user; returns the client for the bank. */
  DsmClient setUp() throws Exception {
    JsonNode bank = step("register the demo ASP", "/admin/clients", Map.of("clientId", "demo-bank", "name", "Demo Bank"));
    String code = step("create the demo user", "/admin/users", Map.of("userId", "demo-user",
        "displayName", "Demo Signer", "authMode", "explicit")).get("enrolmentCode").asText();
    String secret = step("enrol: set the signing password", "/enrol/begin", Map.of("code", code, "password", PASSWORD))
        .get("secret").asText();
    seed = Base32.decode(secret + "=".repeat((8 - secret.length() % 8) % 8));
    step("enrol: confirm the first code", "/enrol/complete", Map.of("code", code, "password", PASSWORD, "otp", totp()));
    clientSecret = Secret.of(bank.get("clientSecret").asText());
    client = DsmClient.builder().baseUrl(server.baseUrl()).clientId("demo-bank")
        .clientSecret(clientSecret).trust(server.tlsCertificate()).build();
    return client;
  }

  RemoteSigner signer() {
    return RemoteSigner.builder(client).userId("demo-user").authorization(request ->
        new AuthorizationProvider.Factors(Secret.of(PASSWORD), Secret.of(nextCode()))).build();
  }

  /** The code the user's app shows in the next 30 s step (each authorisation needs a fresh one). */
  String nextCode() {
    clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
    return totp();
  }

  Secret clientSecret() {
    return clientSecret;
  }

  private String totp() {
    return Totp.code(seed, Totp.step(clock.instant()));
  }

  private JsonNode step(String what, String path, Map<String, Object> body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Authorization", "Bearer " + adminToken.reveal()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("Demo step '" + what + "' failed: HTTP " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    server.close();
  }
}
