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
        + "\"hashAlgorithmOID\":\"2.16.840.1.101.3.4.2.1\",\"signAlgo\":\"1.2.840.10045.4.3.2\"}"));
    assertThat(values).containsExactly(new byte[] {1, 2, 3});
  }

  private static void assertJsonBody(RecordedRequest r, String path, String expected) throws Exception {
    assertThat(r.getTarget()).isEqualTo(path);
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(JSON.readTree(r.getBody().utf8())).isEqualTo(JSON.readTree(expected));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  @Test
  void info_isPostedWithoutAToken_andReadIntoTheRecord() throws Exception {
    server.enqueue(json(200, "{\"specs\":\"2.0.0.2\",\"name\":\"Signer\",\"authType\":[\"oauth2client\"],"
        + "\"methods\":[\"signatures/signHash\"],\"signAlgorithms\":{\"algos\":[\"1.2.840.10045.4.3.2\"]},"
        + "\"signature_formats\":{\"formats\":[\"P\"]},\"unknownField\":1}"));

    var info = client.info();

    RecordedRequest r = server.takeRequest();
    assertJsonBody(r, "/csc/v2/info", "{}");
    assertThat(r.getHeaders().get("Authorization")).isNull();
    assertThat(r.getHeaders().get("User-Agent")).isEqualTo("opendsm-client/0.1");
    assertThat(info.specs()).isEqualTo("2.0.0.2");
    assertThat(info.signAlgorithms().algos()).containsExactly("1.2.840.10045.4.3.2");
    assertThat(info.signatureFormats().formats()).containsExactly("P");
  }

  @Test
  void listCredentials_asksForTheChainAndDetails_ofTheNamedUser() throws Exception {
    server.enqueue(json(200, TOKEN));
    server.enqueue(json(200, "{\"credentialIDs\":[\"c1\"],\"credentialInfos\":[{\"credentialID\":\"c1\","
        + "\"key\":{\"status\":\"enabled\",\"algo\":[\"1.2.840.10045.4.3.2\"],\"len\":256},"
        + "\"cert\":{\"status\":\"valid\",\"certificates\":[\"AQ==\"]},"
        + "\"auth\":{\"mode\":\"explicit\",\"objects\":[{\"type\":\"Password\",\"id\":\"PIN\"}]},"
        + "\"SCAL\":\"2\",\"multisign\":100}]}"));

    var list = client.listCredentials("alice");

    server.takeRequest();
    RecordedRequest r = server.takeRequest();
    assertJsonBody(r, "/csc/v2/credentials/list", "{\"userID\":\"alice\",\"credentialInfo\":true,"
        + "\"certificates\":\"chain\",\"certInfo\":true,\"authInfo\":true}");
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer T0K3N");
    assertThat(list.credentialIDs()).containsExactly("c1");
    var c = list.credentialInfos().get(0);
    assertThat(c.scal()).isEqualTo("2");
    assertThat(c.multisign()).isEqualTo(100);
    assertThat(c.key().len()).isEqualTo(256);
    assertThat(c.auth().objects().get(0).id()).isEqualTo("PIN");
  }

  @Test
  void credentialInfo_withAUserToken_usesThatToken_andNoServiceToken() throws Exception {
    server.enqueue(json(200, "{\"credentialID\":\"c1\",\"multisign\":1}"));

    client.credentialInfo("user-token", "c1");

    RecordedRequest r = server.takeRequest();
    assertJsonBody(r, "/csc/v2/credentials/info", "{\"credentialID\":\"c1\",\"certificates\":\"chain\","
        + "\"certInfo\":true,\"authInfo\":true}");
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer user-token");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void authorize_sendsTheHashesAndBothFactors_andReadsTheSad() throws Exception {
    server.enqueue(json(200, TOKEN));
    server.enqueue(json(200, "{\"SAD\":\"the-sad\",\"expiresIn\":300}"));
    byte[] d1 = DigestAlgorithm.SHA256.digest(new byte[] {1});
    byte[] d2 = DigestAlgorithm.SHA256.digest(new byte[] {2});

    var sad = client.authorize("c1", DigestAlgorithm.SHA256, List.of(d1, d2), Secret.of("pass word"),
        Secret.of("123456"));

    server.takeRequest();
    assertJsonBody(server.takeRequest(), "/csc/v2/credentials/authorize", "{\"credentialID\":\"c1\","
        + "\"numSignatures\":2,\"hashes\":[\"" + b64(d1) + "\",\"" + b64(d2) + "\"],"
        + "\"hashAlgorithmOID\":\"2.16.840.1.101.3.4.2.1\","
        + "\"authData\":[{\"id\":\"PIN\",\"value\":\"pass word\"},{\"id\":\"OTP\",\"value\":\"123456\"}]}");
    assertThat(sad.sad()).isEqualTo("the-sad");
    assertThat(sad.expiresIn()).isEqualTo(300L);
    assertThat(sad.toString()).doesNotContain("the-sad");
  }

  @Test
  void authorize_isNeverRetried_afterAConnectionFailure() {
    server.enqueue(json(200, TOKEN));
    server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(json(200, "{\"SAD\":\"s\",\"expiresIn\":300}"));

    assertThatThrownBy(() -> client.authorize("c1", DigestAlgorithm.SHA256, List.of(new byte[32]), Secret.of("p"),
        Secret.of("1")))
        .isInstanceOfSatisfying(RemoteSigningException.class, e -> assertThat(e.error()).isEqualTo("unreachable"));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void extendTransaction_sendsTheOldSadAndTheNewHashes() throws Exception {
    server.enqueue(json(200, TOKEN));
    server.enqueue(json(200, "{\"SAD\":\"new-sad\",\"expiresIn\":120}"));
    byte[] d = DigestAlgorithm.SHA384.digest(new byte[] {3});

    var sad = client.extendTransaction("c1", "old-sad", DigestAlgorithm.SHA384, List.of(d));

    server.takeRequest();
    assertJsonBody(server.takeRequest(), "/csc/v2/credentials/extendTransaction", "{\"credentialID\":\"c1\","
        + "\"SAD\":\"old-sad\",\"hashes\":[\"" + b64(d) + "\"],\"hashAlgorithmOID\":\"2.16.840.1.101.3.4.2.2\","
        + "\"numSignatures\":1}");
    assertThat(sad.sad()).isEqualTo("new-sad");
  }

  @Test
  void timestamp_sendsOneHash_andDecodesTheToken() throws Exception {
    server.enqueue(json(200, TOKEN));
    server.enqueue(json(200, "{\"timestamp\":\"MAMCAQE=\"}"));
    byte[] d = DigestAlgorithm.SHA256.digest(new byte[] {4});

    byte[] token = client.timestamp(DigestAlgorithm.SHA256, d);

    server.takeRequest();
    assertJsonBody(server.takeRequest(), "/csc/v2/signatures/timestamp", "{\"hash\":\"" + b64(d) + "\","
        + "\"hashAlgorithmOID\":\"2.16.840.1.101.3.4.2.1\"}");
    assertThat(token).containsExactly(0x30, 0x03, 0x02, 0x01, 0x01);
  }

  @Test
  void signHashWithToken_usesTheCredentialTokenAsBearer_andSendsNoSad() throws Exception {
    server.enqueue(json(200, "{\"signatures\":[\"AQID\"]}"));
    byte[] d = DigestAlgorithm.SHA256.digest(new byte[] {5});

    client.signHashWithToken("credential-token", "c1", SignatureAlgorithm.RSA_PSS_SHA256, List.of(d));

    RecordedRequest r = server.takeRequest();
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer credential-token");
    var body = JSON.readTree(r.getBody().utf8());
    assertThat(body.has("SAD")).isFalse();
    assertThat(body.get("signAlgo").asText()).isEqualTo("1.2.840.113549.1.1.10");
    assertThat(body.get("signAlgoParams").asText()).isNotEmpty();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void exchangeCode_postsTheGrantWithPkceVerifier_andClientAuthentication() throws Exception {
    server.enqueue(json(200, "{\"access_token\":\"SAD-TOKEN\",\"token_type\":\"Bearer\",\"expires_in\":300}"));

    var token = client.exchangeCode("the code", java.net.URI.create("https://bank.example/back?x=1"),
        Secret.of("verifier-123"));

    RecordedRequest r = server.takeRequest();
    assertThat(r.getTarget()).isEqualTo("/oauth2/token");
    assertThat(r.getHeaders().get("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("bank:s3cret".getBytes()));
    assertThat(r.getBody().utf8()).isEqualTo("grant_type=authorization_code&code=the+code"
        + "&redirect_uri=https%3A%2F%2Fbank.example%2Fback%3Fx%3D1&code_verifier=verifier-123");
    assertThat(token.accessToken()).isEqualTo("SAD-TOKEN");
    assertThat(token.toString()).doesNotContain("SAD-TOKEN");
  }

  @Test
  void authorizeUrl_encodesEveryParameter() {
    var parameters = new java.util.LinkedHashMap<String, String>();
    parameters.put("scope", "credential");
    parameters.put("redirect_uri", "https://bank.example/back?x=1&y=2");
    var url = client.authorizeUrl(parameters);

    assertThat(url.getPath()).isEqualTo("/oauth2/authorize");
    assertThat(url.getRawQuery())
        .isEqualTo("scope=credential&redirect_uri=https%3A%2F%2Fbank.example%2Fback%3Fx%3D1%26y%3D2");
  }

  @Test
  void expiredServiceToken_isRenewedOnce_andTheCallRepeated() throws Exception {
    server.enqueue(json(200, TOKEN));
    server.enqueue(json(401, "{\"error\":\"invalid_token\",\"error_description\":\"expired\"}"));
    server.enqueue(json(200, TOKEN.replace("T0K3N", "FR3SH")));
    server.enqueue(json(200, "{\"signatures\":[\"AQID\"]}"));

    assertThat(client.signHash("c", "s", SignatureAlgorithm.ECDSA_SHA256, List.of(new byte[32])))
        .containsExactly(new byte[] {1, 2, 3});

    assertThat(server.takeRequest().getTarget()).isEqualTo("/oauth2/token");
    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer T0K3N");
    assertThat(server.takeRequest().getTarget()).isEqualTo("/oauth2/token");
    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer FR3SH");
  }

  @Test
  void aSecond401_isReported_notRetriedAgain() {
    server.enqueue(json(200, TOKEN));
    server.enqueue(json(401, "{\"error\":\"invalid_token\",\"error_description\":\"expired\"}"));
    server.enqueue(json(200, TOKEN));
    server.enqueue(json(401, "{\"error\":\"invalid_token\",\"error_description\":\"client disabled\"}"));

    assertThatThrownBy(() -> client.credentialInfo("c"))
        .isInstanceOfSatisfying(RemoteSigningException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessage("client disabled");
    assertThat(server.getRequestCount()).isEqualTo(4);
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
