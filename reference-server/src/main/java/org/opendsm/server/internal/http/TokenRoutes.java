package org.opendsm.server.internal.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.opendsm.Secret;
import org.opendsm.protocol.TokenResponse;
import org.opendsm.server.internal.clients.Clients;

/**
 * {@code POST /oauth2/token} for the client-credentials grant (RFC 6749 §4.4), with client
 * authentication by HTTP Basic (form-urlencoded or not, as real clients do both) or form fields;
 * and {@code /oauth2/revoke} (RFC 7009).
 */
final class TokenRoutes {
  private final Clients clients;
  private final org.opendsm.server.internal.oauth.AuthorizationServer oauth;
  private final org.opendsm.server.internal.signing.SigningService signing;

  TokenRoutes(Clients clients, org.opendsm.server.internal.oauth.AuthorizationServer oauth,
      org.opendsm.server.internal.signing.SigningService signing) {
    this.clients = clients;
    this.oauth = oauth;
    this.signing = signing;
  }

  void register(JavalinConfig config) {
    config.routes.post("/oauth2/token", this::token);
    config.routes.post("/oauth2/revoke", this::revoke);
  }

  private void token(Context ctx) {
    String clientId = authenticatedClient(ctx);
    String grant = ctx.formParam("grant_type");
    Clients.Token token;
    if ("client_credentials".equals(grant)) {
      token = clients.issueServiceToken(clientId);
    } else if ("authorization_code".equals(grant)) {
      try {
        token = oauth.exchange(clientId, ctx.formParam("code"), ctx.formParam("redirect_uri"),
            ctx.formParam("code_verifier"));
      } catch (org.opendsm.server.internal.oauth.AuthorizationServer.TokenError e) {
        throw new CscException(400, e.error(), e.getMessage());
      }
    } else if ("refresh_token".equals(grant)) {
      String refresh = ctx.formParam("refresh_token");
      if (refresh == null) {
        throw CscException.invalidRequest("Missing parameter refresh_token");
      }
      token = clients.refresh(clientId, refresh)
          .orElseThrow(() -> new CscException(400, "invalid_grant", "The refresh token is invalid, expired or used"));
    } else {
      throw new CscException(400, "unsupported_grant_type",
          "grant_type must be authorization_code, refresh_token or client_credentials");
    }
    ctx.header("Cache-Control", "no-store");
    ctx.header("Pragma", "no-cache");
    ctx.json(new TokenResponse(token.accessToken().reveal(), "Bearer", token.expiresIn(),
        token.refreshToken() == null ? null : token.refreshToken().reveal(), token.idToken()));
  }

  private void revoke(Context ctx) {
    String clientId = authenticatedClient(ctx);
    String token = ctx.formParam("token");
    if (token == null) {
      throw CscException.invalidRequest("Missing parameter token");
    }
    clients.revoke(clientId, token);
    signing.revoke(clientId, token);
    ctx.status(204);
  }

  private String authenticatedClient(Context ctx) {
    String id = ctx.formParam("client_id");
    String secret = ctx.formParam("client_secret");
    String header = ctx.header("Authorization");
    if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new CscException(401, "invalid_client", "Malformed Basic authorization");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new CscException(401, "invalid_client", "Malformed Basic authorization");
      }
      id = urlDecode(decoded.substring(0, colon));
      secret = urlDecode(decoded.substring(colon + 1));
    }
    if (id == null || secret == null) {
      throw new CscException(401, "invalid_client", "Client authentication is required");
    }
    try (Secret s = Secret.of(secret)) {
      if (!clients.authenticate(id, s)) {
        throw new CscException(401, "invalid_client", "Client authentication failed");
      }
    }
    return id;
  }

  /** RFC 6749 §2.3.1 says form-urlencode before base64; some clients do not. Both read the same. */
  private static String urlDecode(String s) {
    try {
      return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
