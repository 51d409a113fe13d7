package org.opendsm.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;

/** The client's wire format against a scripted HTTPS server: exact requests, error mapping, retries. */
class DsmClientWireTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "{\"access_token\":\"T0K3N\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
  private final MockWebServer server = new MockWebServer();
  private DsmClient client;

  @BeforeEach
  void start() throws Exception {
    HeldCertificate localhost = new HeldCertificate.Builder().addSubjectAlternativeName("localhost").build();
    server.useHttps(new HandshakeCertificates.Builder().heldCertificate(localhost).build().sslSocketFactory());
    server.start(0);
    client = DsmClient.builder().baseUrl(server.url("/").uri()).clientId("bank").clientSecret(Secret.of("s3cret"))
        .trust(localhost.certificate()).readTimeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(2)).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  @Test
  void signHash_sendsTheExactCscJson_withTheBearerFromClientCredentials() throws Exception {
    server.enqueue(json(200, TOKEN));
    server.enqueue(json(200, "{\"signatures\":[\"AQID\"]}"));
    byte[] digest = DigestAlgorithm.SHA256.digest(new byte[] {1});

    List<byte[]> values = client.signHash("cred-1", "the-sad", SignatureAlgorithm.ECDSA_SHA256, List.of(digest));

    RecordedRequest token = server.takeRequest();
    assertThat(token.getTarget()).isEqualTo("/oauth2/token");
    assertThat(token.getHeaders().get("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString("bank:s3cret".getBytes()));
    assertThat(token.getBody().utf8()).isEqualTo("grant_type=client_credentials");
    RecordedRequest sign = server.takeRequest();
    assertThat(sign.getTarget()).isEqualTo("/csc/v2/signatures/signHash");
    assertThat(sign.getHeaders().get("Authorization")).isEqualTo("Bearer T0K3N");
    assertThat(sign.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(JSON.readTree(sign.getBody().utf8())).isEqualTo(JSON.readTree("{\"credentialID\":\"cred-1\","
        + "\"SAD\":\"the-sad\",\"hashes\":[\"" + Base64.getEncoder().encodeToString(digest) + "\"],"
        + "\"hashAlgorithmOID\":\"2.16.840.1.101.3.4.2.1\",\"signAlgo\":\"1.2.840.10045.4.3.2\","
        + "\"signAlgoParams\":null,\"clientData\":null}"));
    assertThat(values).containsExactly(new byte[] {1, 2, 3});
  }

  @Test
  void cscError_becomesRemoteSigningException_withCodeDescriptionAndStatus() {
    server.enqueue(json(200, TOKEN));
    server.enqueue(json(400, "{\"error\":\"invalid_request\",\"error_description\":\"SAD expired\"}"));

    assertThatThrownBy(() -> client.signHash("c", "s", SignatureAlgorithm.ECDSA_SHA256, List.of(new byte[32])))
        .isInstanceOfSatisfying(RemoteSigningException.class, e -> {
          assertThat(e.error()).isEqualTo("invalid_request");
          assertThat(e.status()).isEqualTo(400);
        })
        .hasMessage("SAD expired");
  }

  @Test
  void errorWithoutCscBody_isStillTyped() {
    server.enqueue(json(200, TOKEN));
    server.enqueue(new MockResponse.Builder().code(502).body("<html>bad gateway</html>").build());

    assertThatThrownBy(() -> client.credentialInfo("c"))
        .isInstanceOfSatisfying(RemoteSigningException.class, e -> {
          assertThat(e.error()).isEqualTo("server_error");
          assertThat(e.status()).isEqualTo(502);
        })
        .hasMessage("HTTP 502 without a CSC error body");
  }

  @Test
  void signHash_isNeverRetried_afterAConnectionFailure() {
    server.enqueue(json(200, TOKEN));
    // The server has read the request, then the connection drops before the answer: it may have signed.
    server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(json(200, "{\"signatures\":[\"AQID\"]}"));

    assertThatThrownBy(() -> client.signHash("c", "s", SignatureAlgorithm.ECDSA_SHA256, List.of(new byte[32])))
        .isInstanceOfSatisfying(RemoteSigningException.class, e -> assertThat(e.error()).isEqualTo("unreachable"));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void credentialInfo_isRetried_afterAConnectionFailure() {
    server.enqueue(json(200, TOKEN));
    server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(json(200, "{\"credentialID\":\"c\",\"multisign\":5}"));

    assertThat(client.credentialInfo("c").multisign()).isEqualTo(5);
  }

  @Test
  void slowServer_timesOut_asUnreachable() {
    server.enqueue(json(200, TOKEN));
    server.enqueue(new MockResponse.Builder().headersDelay(5, TimeUnit.SECONDS).body("{}").build());

    assertThatThrownBy(() -> client.signHash("c", "s", SignatureAlgorithm.ECDSA_SHA256, List.of(new byte[32])))
        .isInstanceOfSatisfying(RemoteSigningException.class, e -> {
          assertThat(e.error()).isEqualTo("unreachable");
          assertThat(e.status()).isZero();
        });
  }

  @Test
  void revoke_postsTheTokenWithClientAuthentication() throws Exception {
    server.enqueue(new MockResponse.Builder().code(204).build());

    client.revoke(Secret.of("some-token"));

    RecordedRequest r = server.takeRequest();
    assertThat(r.getTarget()).isEqualTo("/oauth2/revoke");
    assertThat(r.getHeaders().get("Authorization")).startsWith("Basic ");
    assertThat(r.getBody().utf8()).isEqualTo("token=some-token");
  }

  @Test
  void builder_refusesPlainHttp() {
    assertThatThrownBy(() -> DsmClient.builder().baseUrl(java.net.URI.create("http://sign.example"))
        .clientId("x").clientSecret(Secret.of("y")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("The signing service must be reached over https: http://sign.example");
  }
}
