package org.opendsm.hardening;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.opendsm.Secret;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.ServerConfig;
import org.opendsm.testing.AdminApi;
import org.opendsm.testing.MutableClock;
import org.opendsm.testing.TrustingHttp;

/**
 * Property-based requests to every CSC endpoint: JSON objects made of the API's own field names
 * with values of every type (and of the right type with wrong content), and bodies that are not
 * JSON at all. A client error is always a 4xx with the CSC error JSON; never a 500, never a hang.
 */
class CscRequestFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ENDPOINTS = List.of("info", "credentials/list", "credentials/info",
      "credentials/authorize", "credentials/extendTransaction", "signatures/signHash", "signatures/timestamp");
  private static final List<String> FIELDS = List.of("credentialID", "SAD", "hashes", "hash", "hashAlgorithmOID",
      "signAlgo", "signAlgoParams", "numSignatures", "authData", "userID", "nonce", "certificates", "certInfo",
      "authInfo", "maxResults", "pageToken", "clientData", "lang", "description", "id", "value", "operationMode");
  private static ReferenceServer node;
  private static HttpClient http;
  private static String token;
  private static String credential;
  private static Path dir;

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("dsm-fuzz");
    MutableClock clock = new MutableClock(Instant.now());
    node = ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(0).withDataDirectory(dir)
        .withAdminToken(Secret.of(Cluster.ADMIN_TOKEN)), clock);
    AdminApi admin = new AdminApi(node.baseUrl(), node.tlsCertificate(), Cluster.ADMIN_TOKEN);
    Secret secret = Cluster.register(admin, "bank");
    credential = Cluster.enrol(admin, "fuzz", clock).credentialId();
    http = TrustingHttp.client(node.tlsCertificate());
    token = Cluster.serviceToken(http, node.baseUrl(), "bank", secret);
  }

  @AfterContainer
  static void stop() throws Exception {
    node.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 400)
  void aJsonRequestOfAnyShape_getsAnAnswerOrTheCscError(@ForAll("endpoint") String endpoint,
      @ForAll("request") Map<String, Object> body) throws Exception {
    check(endpoint, JSON.writeValueAsString(body));
  }

  @Property(tries = 150)
  void aBodyThatIsNotAJsonObject_getsTheCscError(@ForAll("endpoint") String endpoint,
      @ForAll("garbage") String body) throws Exception {
    HttpResponse<String> r = check(endpoint, body);
    // Not one JSON object: refused. (info alone also takes an empty body; a stray object among
    // the garbage is held to the general rule above.)
    if (!singleJsonObject(body) && !(endpoint.equals("info") && body.isBlank())) {
      assertThat(r.statusCode()).as(endpoint + " " + body).isEqualTo(400);
    }
  }

  private static boolean singleJsonObject(String body) {
    try {
      return JSON.readerFor(JsonNode.class).with(com.fasterxml.jackson.databind.DeserializationFeature
          .FAIL_ON_TRAILING_TOKENS).readTree(body) instanceof com.fasterxml.jackson.databind.node.ObjectNode;
    } catch (Exception e) {
      return false;
    }
  }

  private static HttpResponse<String> check(String endpoint, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/csc/v2/" + endpoint))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).as(endpoint + " " + body).isLessThan(500);
    if (r.statusCode() >= 400) {
      JsonNode error = JSON.readTree(r.body());
      assertThat(error.path("error").asText()).as(r.body()).isNotEmpty();
      assertThat(error.path("error_description").asText()).as(r.body()).isNotEmpty();
    }
    return r;
  }

  @Provide
  Arbitrary<String> endpoint() {
    return Arbitraries.of(ENDPOINTS);
  }

  @Provide
  Arbitrary<Map<String, Object>> request() {
    return Arbitraries.maps(Arbitraries.of(FIELDS), value()).ofMaxSize(6).map(m -> {
      Map<String, Object> out = new LinkedHashMap<>(m);
      if (!out.containsKey("credentialID") && Math.floorMod(out.hashCode(), 2) == 0) {
        out.put("credentialID", credential); // reach past the credential check half the time
      }
      return out;
    });
  }

  /** Scalars of every JSON type, plausible CSC values, and small nested structures of them. */
  private static Arbitrary<Object> value() {
    Arbitrary<Object> scalar = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60).map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(null),
        Arbitraries.of("2.16.840.1.101.3.4.2.1", "1.2.840.10045.4.3.2", "1.2.840.113549.1.1.11", "1.2.3",
            "AAAA", "n+8=", "////", "", " ", "PIN", "OTP", "chain", "single", "none").map(s -> (Object) s),
        Arbitraries.strings().withChars("ABCDEFabcdef0123456789+/=").ofLength(44).map(s -> (Object) s));
    Arbitrary<Object> list = scalar.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l));
    Arbitrary<Object> authData = Arbitraries.maps(Arbitraries.of("id", "value", "x"), scalar).ofMaxSize(3)
        .list().ofMaxSize(3).map(l -> (Object) l);
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, scalar), net.jqwik.api.Tuple.of(3, list),
        net.jqwik.api.Tuple.of(1, authData));
  }

  @Provide
  Arbitrary<String> garbage() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200),
        Arbitraries.of("", "null", "[]", "[{}]", "\"text\"", "42", "{", "{\"hashes\":", "{\"a\":1}{\"b\":2}",
            "\u0000\u0001", "{\"hashes\":[\"\\ud800\"]}", "{\"numSignatures\":1e400}", "{\"credentialID\":{}}"));
  }
}
