package org.opendsm.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.client.internal.CscAlgorithms;
import org.opendsm.protocol.AuthData;
import org.opendsm.protocol.AuthorizeRequest;
import org.opendsm.protocol.AuthorizeResponse;
import org.opendsm.protocol.CredentialInfo;
import org.opendsm.protocol.CredentialsInfoRequest;
import org.opendsm.protocol.CredentialsListRequest;
import org.opendsm.protocol.CredentialsListResponse;
import org.opendsm.protocol.ErrorResponse;
import org.opendsm.protocol.ExtendTransactionRequest;
import org.opendsm.protocol.InfoRequest;
import org.opendsm.protocol.InfoResponse;
import org.opendsm.protocol.SignHashRequest;
import org.opendsm.protocol.SignHashResponse;
import org.opendsm.protocol.TimestampRequest;
import org.opendsm.protocol.TimestampResponse;
import org.opendsm.protocol.TokenResponse;

/**
 * A client of a CSC API v2 signing service. One per application: thread-safe, holds a connection
 * pool; {@link #close()} releases it.
 *
 * <pre>{@code
 * try (DsmClient client = DsmClient.builder().baseUrl(URI.create("https://sign.example"))
 *     .clientId("bank").clientSecret(secret).trust(serverCertificate).build()) {
 *   CredentialsListResponse list = client.listCredentials("alice");
 * }
 * }</pre>
 *
 * <p>Every non-2xx answer becomes a {@link RemoteSigningException} with the CSC error code, its
 * description and the HTTP status. Only calls that change nothing (info, token, list, info) are
 * retried (twice at most) after a connection failure; authorize and signHash never are.
 */
public final class DsmClient implements AutoCloseable {
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final URI baseUrl;
  private final String clientId;
  private final Secret clientSecret;
  private final OkHttpClient http;
  private String token;
  private Instant tokenExpiry = Instant.EPOCH;

  private DsmClient(Builder b) {
    this.baseUrl = b.baseUrl;
    this.clientId = b.clientId;
    this.clientSecret = b.clientSecret;
    OkHttpClient.Builder http = new OkHttpClient.Builder().connectTimeout(b.connectTimeout).readTimeout(b.readTimeout)
        .callTimeout(b.readTimeout.plus(b.connectTimeout)).retryOnConnectionFailure(false)
        .socketFactory(new org.opendsm.client.internal.NoDelaySockets())
        .addInterceptor(chain -> chain.proceed(chain.request().newBuilder().header("User-Agent", b.userAgent).build()));
    if (!b.trusted.isEmpty()) {
      X509TrustManager tm = trustManager(b.trusted);
      http.sslSocketFactory(sslContext(tm).getSocketFactory(), tm);
    }
    this.http = http.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The service's description: specs, methods, algorithms. Needs no token. */
  public InfoResponse info() {
    try {
      Request request = new Request.Builder().url(baseUrl.resolve("/csc/v2/info").toString())
          .post(RequestBody.create(JSON.writeValueAsBytes(new InfoRequest(null)), JSON_TYPE)).build();
      return read(execute(request, true), InfoResponse.class);
    } catch (IOException e) {
      throw new RemoteSigningException("unreachable", "Cannot call csc/v2/info: " + e.getMessage(), 0, e);
    }
  }

  /** A new SAD for new digests from a live one (sequential signatures on one PDF). */
  public AuthorizeResponse extendTransaction(String credentialId, String sad, DigestAlgorithm algorithm,
      List<byte[]> digests) {
    return call("csc/v2/credentials/extendTransaction", new ExtendTransactionRequest(
        credentialId, sad, base64(digests), algorithm.oid(), digests.size(), null), AuthorizeResponse.class, false);
  }

  /** The credentials of a user, with their details and certificate chains. */
  public CredentialsListResponse listCredentials(String userId) {
    return call("csc/v2/credentials/list", new CredentialsListRequest(userId, true, "chain", true, true, null, null, null),
        CredentialsListResponse.class, true);
  }

  /**
   * The credentials of the user whose token this is (a login with scope {@code service}, or
   * {@code openid service}): OAuth2-mode applications learn the credential and its chain this way.
   */
  public CredentialsListResponse listCredentialsWithToken(String userToken) {
    return call("csc/v2/credentials/list", new CredentialsListRequest(null, true, "chain", true, true, null, null, null),
        CredentialsListResponse.class, true, Objects.requireNonNull(userToken, "userToken"));
  }

  public CredentialInfo credentialInfo(String credentialId) {
    return call("csc/v2/credentials/info", new CredentialsInfoRequest(credentialId, "chain", true, true, null, null),
        CredentialInfo.class, true);
  }

  /** credentials/info with a user's own token (service scope from the user's login, OAuth2 mode). */
  public CredentialInfo credentialInfo(String userToken, String credentialId) {
    return call("csc/v2/credentials/info", new CredentialsInfoRequest(credentialId, "chain", true, true, null, null),
        CredentialInfo.class, true, userToken);
  }

  /** Explicit mode: the user's signing password and TOTP code authorise exactly {@code digests}. */
  public AuthorizeResponse authorize(String credentialId, DigestAlgorithm algorithm, List<byte[]> digests,
      Secret password, Secret otp) {
    return call("csc/v2/credentials/authorize", new AuthorizeRequest(credentialId, digests.size(), base64(digests),
        algorithm.oid(), List.of(new AuthData("PIN", password.reveal()), new AuthData("OTP", otp.reveal())), null, null),
        AuthorizeResponse.class, false);
  }

  /** Signs the digests a SAD authorised; values in request order. */
  public List<byte[]> signHash(String credentialId, String sad, SignatureAlgorithm algorithm, List<byte[]> digests) {
    SignHashResponse r = call("csc/v2/signatures/signHash", new SignHashRequest(credentialId, sad, base64(digests),
        algorithm.digestAlgorithm().oid(), CscAlgorithms.signAlgo(algorithm), CscAlgorithms.signAlgoParams(algorithm),
        null), SignHashResponse.class, false);
    List<byte[]> out = new ArrayList<>();
    for (String s : r.signatures() == null ? List.<String>of() : r.signatures()) {
      out.add(Base64.getDecoder().decode(s));
    }
    return out;
  }

  /** A DER RFC 3161 token over {@code digest} from the service's TSA. */
  public byte[] timestamp(DigestAlgorithm algorithm, byte[] digest) {
    TimestampResponse r = call("csc/v2/signatures/timestamp",
        new TimestampRequest(Base64.getEncoder().encodeToString(digest), algorithm.oid(), null, null),
        TimestampResponse.class, false);
    return Base64.getDecoder().decode(r.timestamp());
  }

  /** The service's OAuth2 authorize URL (the user's browser goes there); see {@link OAuth2Signing}. */
  public URI authorizeUrl(java.util.Map<String, String> parameters) {
    okhttp3.HttpUrl.Builder url = okhttp3.HttpUrl.get(baseUrl.resolve("/oauth2/authorize").toString()).newBuilder();
    parameters.forEach(url::addQueryParameter);
    return url.build().uri();
  }

  /** The authorization_code grant (PKCE). For scope=credential the access token is the SAD. */
  public TokenResponse exchangeCode(String code, URI redirectUri, Secret codeVerifier) {
    Request request = new Request.Builder().url(baseUrl.resolve("/oauth2/token").toString())
        .header("Authorization", Credentials.basic(clientId, clientSecret.reveal()))
        .post(new FormBody.Builder().add("grant_type", "authorization_code").add("code", code)
            .add("redirect_uri", redirectUri.toString()).add("code_verifier", codeVerifier.reveal()).build())
        .build();
    try {
      return read(execute(request, false), TokenResponse.class);
    } catch (IOException e) {
      throw new RemoteSigningException("unreachable", "Cannot call oauth2/token: " + e.getMessage(), 0, e);
    }
  }

  /** Revokes a token this client holds (RFC 7009): an access, refresh or credential token. */
  public void revoke(Secret token) {
    Request request = new Request.Builder().url(baseUrl.resolve("/oauth2/revoke").toString())
        .header("Authorization", Credentials.basic(clientId, clientSecret.reveal()))
        .post(new FormBody.Builder().add("token", token.reveal()).build()).build();
    try (Response r = execute(request, false)) {
      if (!r.isSuccessful()) {
        read(r, Object.class);
      }
    } catch (IOException e) {
      throw new RemoteSigningException("unreachable", "Cannot call oauth2/revoke: " + e.getMessage(), 0, e);
    }
  }

  /** signHash with a credential-scope token as the bearer (OAuth2 mode); no SAD in the body. */
  public List<byte[]> signHashWithToken(String credentialToken, String credentialId, SignatureAlgorithm algorithm,
      List<byte[]> digests) {
    SignHashResponse r = call("csc/v2/signatures/signHash", new SignHashRequest(credentialId, null, base64(digests),
        algorithm.digestAlgorithm().oid(), CscAlgorithms.signAlgo(algorithm), CscAlgorithms.signAlgoParams(algorithm),
        null), SignHashResponse.class, false, credentialToken);
    List<byte[]> out = new ArrayList<>();
    for (String s : r.signatures() == null ? List.<String>of() : r.signatures()) {
      out.add(Base64.getDecoder().decode(s));
    }
    return out;
  }

  private <T> T call(String path, Object body, Class<T> type, boolean idempotent) {
    return call(path, body, type, idempotent, null);
  }

  private <T> T call(String path, Object body, Class<T> type, boolean idempotent, String bearer) {
    try {
      Request.Builder request = new Request.Builder().url(baseUrl.resolve("/" + path).toString())
          .post(RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE));
      if (bearer != null) {
        return read(execute(request.header("Authorization", "Bearer " + bearer).build(), idempotent), type);
      }
      String serviceToken = token();
      Response response = execute(request.header("Authorization", "Bearer " + serviceToken).build(), idempotent);
      if (response.code() == 401) {
        // The service token died before its announced expiry (revoked, server restarted, clocks
        // apart). A 401 means the call was refused before anything was done, so one retry with a
        // fresh token is safe even for signHash.
        response.close();
        forgetToken(serviceToken);
        response = execute(request.header("Authorization", "Bearer " + token()).build(), idempotent);
      }
      return read(response, type);
    } catch (IOException e) {
      throw new RemoteSigningException("unreachable", "Cannot call " + path + ": " + e.getMessage(), 0, e);
    }
  }

  private synchronized String token() throws IOException {
    if (token == null || Instant.now().isAfter(tokenExpiry)) {
      Request request = new Request.Builder().url(baseUrl.resolve("/oauth2/token").toString())
          .header("Authorization", Credentials.basic(clientId, clientSecret.reveal()))
          .post(new FormBody.Builder().add("grant_type", "client_credentials").build()).build();
      TokenResponse t = read(execute(request, true), TokenResponse.class);
      token = t.accessToken();
      tokenExpiry = Instant.now().plusSeconds(Math.max(0, (t.expiresIn() == null ? 3600 : t.expiresIn()) - 30));
    }
    return token;
  }

  private synchronized void forgetToken(String stale) {
    if (stale.equals(token)) {
      token = null;
    }
  }

  /** Calls that change nothing get two more attempts after a connection failure; others none. */
  private Response execute(Request request, boolean idempotent) throws IOException {
    int attempts = idempotent ? 3 : 1;
    for (int attempt = 1; ; attempt++) {
      try {
        return http.newCall(request).execute();
      } catch (IOException e) {
        if (attempt >= attempts) {
          throw e;
        }
      }
    }
  }

  private static <T> T read(Response response, Class<T> type) throws IOException {
    try (response) {
      byte[] body = response.body().bytes();
      if (!response.isSuccessful()) {
        ErrorResponse e;
        try {
          e = JSON.readValue(body, ErrorResponse.class);
        } catch (IOException notJson) {
          e = new ErrorResponse("server_error", "HTTP " + response.code() + " without a CSC error body");
        }
        throw new RemoteSigningException(e.error(), e.errorDescription(), response.code(), null);
      }
      return JSON.readValue(body, type);
    }
  }

  private static List<String> base64(List<byte[]> digests) {
    List<String> out = new ArrayList<>(digests.size());
    digests.forEach(d -> out.add(Base64.getEncoder().encodeToString(d)));
    return out;
  }

  private static X509TrustManager trustManager(List<X509Certificate> anchors) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      for (int i = 0; i < anchors.size(); i++) {
        ks.setCertificateEntry("anchor" + i, anchors.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      return (X509TrustManager) tmf.getTrustManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("Cannot trust the given certificates: " + e.getMessage(), e);
    }
  }

  private static SSLContext sslContext(X509TrustManager tm) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** This application's client id at the service. */
  public String clientId() {
    return clientId;
  }

  @Override
  public String toString() {
    return "DsmClient[" + baseUrl + ", client " + clientId + "]";
  }

  /** Builds a {@link DsmClient}. Not thread-safe. */
  public static final class Builder {
    private URI baseUrl;
    private String clientId;
    private Secret clientSecret;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(60);
    private final List<X509Certificate> trusted = new ArrayList<>();
    private String userAgent = "opendsm-client/0.1";

    private Builder() {}

    /** The service's base URL, e.g. {@code https://sign.example} (the CSC API is under /csc/v2). */
    public Builder baseUrl(URI baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
      return this;
    }

    public Builder clientId(String clientId) {
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      return this;
    }

    public Builder clientSecret(Secret clientSecret) {
      this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder readTimeout(Duration timeout) {
      this.readTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Trusts these certificates (a CA, or the server's own certificate to pin) instead of the JDK's. */
    public Builder trust(X509Certificate... certificates) {
      trusted.addAll(List.of(certificates));
      return this;
    }

    public Builder userAgent(String userAgent) {
      this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
      return this;
    }

    public DsmClient build() {
      if (baseUrl == null || clientId == null || clientSecret == null) {
        throw new IllegalStateException("baseUrl, clientId and clientSecret are required");
      }
      if (!"https".equals(baseUrl.getScheme())) {
        throw new IllegalStateException("The signing service must be reached over https: " + baseUrl);
      }
      return new DsmClient(this);
    }
  }
}
