package org.opendsm.server.internal.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.claims.ACR;
import com.nimbusds.openid.connect.sdk.claims.AMR;
import com.nimbusds.openid.connect.sdk.claims.AuthorizedParty;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.SessionID;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.opendsm.server.internal.pki.CertificateAuthority;
import org.opendsm.server.internal.vault.ServerSecrets;

/**
 * The OpenID Connect side of the authorization server: ID tokens signed (ES256) by a key the CA
 * keeps sealed in the database, the JWK set and the discovery document. Subjects are pairwise:
 * each client sees its own stable identifier for a user, so two applications cannot link their
 * users through the signing service.
 */
public final class OpenIdProvider {
  /** Password and one-time code: the PAPE policy URI for multi-factor login. */
  public static final String ACR_TWO_FACTOR = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";
  static final Duration ID_TOKEN_LIFETIME = Duration.ofMinutes(5);
  private static final String PAIRWISE = "opendsm/oidc-pairwise-subject/v1";

  private final CertificateAuthority ca;
  private final byte[] pairwiseKey;
  private final Clock clock;
  private final Supplier<URI> issuer;

  /**
   * @param issuer the HTTPS base URL of this server as relying parties know it (known only once
   *     the server listens, hence a supplier)
   */
  public OpenIdProvider(CertificateAuthority ca, ServerSecrets secrets, Clock clock, Supplier<URI> issuer) {
    this.ca = ca;
    this.pairwiseKey = secrets.get("oidc-pairwise-subject", PAIRWISE);
    this.clock = clock;
    this.issuer = issuer;
  }

  public String issuer() {
    String base = issuer.get().toString();
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** The pairwise subject of a user for a client (OIDC Core §8.1): stable, unlinkable across clients. */
  public String subject(String clientId, String userId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(pairwiseKey, "HmacSHA256"));
      mac.update(clientId.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return java.util.Base64.getUrlEncoder().withoutPadding()
          .encodeToString(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  /** What an ID token says about one login. */
  public record Login(String clientId, String userId, long authTimeMillis, String nonce, String sessionId,
      String name) {}

  /** A signed ID token (JWS compact form). */
  public String idToken(Login login) {
    Date now = Date.from(clock.instant());
    IDTokenClaimsSet claims = new IDTokenClaimsSet(new Issuer(issuer()), new Subject(subject(login.clientId(),
        login.userId())), List.of(new Audience(login.clientId())), Date.from(clock.instant().plus(ID_TOKEN_LIFETIME)),
        now);
    claims.setAuthenticationTime(new Date(login.authTimeMillis()));
    if (login.nonce() != null) {
      claims.setNonce(new Nonce(login.nonce()));
    }
    claims.setACR(new ACR(ACR_TWO_FACTOR));
    claims.setAMR(List.of(AMR.PWD, AMR.OTP));
    claims.setAuthorizedParty(new AuthorizedParty(login.clientId()));
    if (login.sessionId() != null) {
      claims.setSessionID(new SessionID(login.sessionId()));
    }
    if (login.name() != null) {
      claims.setClaim("name", login.name());
    }
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
          .keyID(publicJwk().getKeyID()).build(), claims.toJWTClaimsSet());
      jwt.sign(new ECDSASigner((ECPrivateKey) ca.idTokenSigner().key()));
      return jwt.serialize();
    } catch (JOSEException | com.nimbusds.oauth2.sdk.ParseException e) {
      throw new IllegalStateException("Cannot sign an ID token: " + e.getMessage(), e);
    }
  }

  /**
   * The claims of an ID token this server issued, its signature checked but not its expiry (RP-
   * initiated logout accepts an expired {@code id_token_hint}).
   */
  public Optional<JWTClaimsSet> verifyHint(String idToken) {
    try {
      SignedJWT jwt = SignedJWT.parse(idToken);
      ECKey jwk = publicJwks().stream().filter(k -> k.getKeyID().equals(jwt.getHeader().getKeyID())).findFirst()
          .orElse(null);
      if (jwk == null || !JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())
          || !jwt.verify(new ECDSAVerifier(jwk.toECPublicKey()))
          || !issuer().equals(jwt.getJWTClaimsSet().getIssuer())) {
        return Optional.empty();
      }
      return Optional.of(jwt.getJWTClaimsSet());
    } catch (ParseException | JOSEException e) {
      return Optional.empty();
    }
  }

  /** The public signing key, with its certificate chain (x5c). */
  public ECKey publicJwk() {
    return jwk(ca.idTokenSigner().certificate());
  }

  /**
   * The current key, then those it replaced whose certificates are still valid: relying parties
   * verify tokens signed before a renewal until those keys' certificates expire.
   */
  public List<ECKey> publicJwks() {
    List<ECKey> keys = new java.util.ArrayList<>(List.of(publicJwk()));
    java.util.Date now = java.util.Date.from(clock.instant());
    for (java.security.cert.X509Certificate previous : ca.previousCertificates("oidc")) {
      if (previous.getNotAfter().after(now)) {
        keys.add(jwk(previous));
      }
    }
    return keys;
  }

  /** The key's certificate and the CA chain above it (its own generations). */
  private List<Base64> x5c(java.security.cert.X509Certificate certificate) throws CertificateEncodingException {
    List<Base64> chain = new java.util.ArrayList<>(List.of(Base64.encode(certificate.getEncoded())));
    for (java.security.cert.X509Certificate c : ca.chainFor(certificate)) {
      chain.add(Base64.encode(c.getEncoded()));
    }
    return chain;
  }

  private ECKey jwk(java.security.cert.X509Certificate certificate) {
    try {
      return new ECKey.Builder(Curve.P_256, (ECPublicKey) certificate.getPublicKey())
          .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
          .x509CertChain(x5c(certificate))
          .keyIDFromThumbprint().build();
    } catch (JOSEException | CertificateEncodingException e) {
      throw new IllegalStateException("Cannot describe the ID token key: " + e.getMessage(), e);
    }
  }

  /** {@code GET /oauth2/jwks}. */
  public String jwks() {
    return new JWKSet(new java.util.ArrayList<com.nimbusds.jose.jwk.JWK>(publicJwks())).toString(true);
  }

  /** {@code GET /.well-known/openid-configuration}. */
  public String discovery() {
    String base = issuer();
    OIDCProviderMetadata m = new OIDCProviderMetadata(new Issuer(base), List.of(SubjectType.PAIRWISE),
        URI.create(base + "/oauth2/jwks"));
    m.setAuthorizationEndpointURI(URI.create(base + "/oauth2/authorize"));
    m.setTokenEndpointURI(URI.create(base + "/oauth2/token"));
    m.setUserInfoEndpointURI(URI.create(base + "/oauth2/userinfo"));
    m.setEndSessionEndpointURI(URI.create(base + "/oauth2/logout"));
    m.setRevocationEndpointURI(URI.create(base + "/oauth2/revoke"));
    m.setScopes(new Scope("openid", "profile", "service", "credential"));
    m.setResponseTypes(List.of(ResponseType.CODE));
    m.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS));
    m.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
    m.setTokenEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
        ClientAuthenticationMethod.CLIENT_SECRET_POST));
    m.setIDTokenJWSAlgs(List.of(JWSAlgorithm.ES256));
    m.setACRs(List.of(new ACR(ACR_TWO_FACTOR)));
    m.setClaims(List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "sid", "name"));
    m.setPromptTypes(List.of(Prompt.Type.LOGIN, Prompt.Type.NONE));
    m.setSupportsAuthorizationResponseIssuerParam(false);
    return m.toJSONObject().toJSONString();
  }
}
