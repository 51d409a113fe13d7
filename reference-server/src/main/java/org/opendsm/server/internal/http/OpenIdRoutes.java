package org.opendsm.server.internal.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.clients.Clients;
import org.opendsm.server.internal.oauth.OpenIdProvider;

/**
 * OpenID Connect discovery, the JWK set and the userinfo endpoint. The authorization and token
 * endpoints are the OAuth2 ones ({@link LoginRoutes}, {@link TokenRoutes}); logout is on the login
 * page's routes.
 */
final class OpenIdRoutes {
  private final OpenIdProvider openId;
  private final Clients clients;
  private final Accounts accounts;

  OpenIdRoutes(OpenIdProvider openId, Clients clients, Accounts accounts) {
    this.openId = openId;
    this.clients = clients;
    this.accounts = accounts;
  }

  void register(JavalinConfig config) {
    config.routes.get("/.well-known/openid-configuration", ctx -> {
      ctx.header("Cache-Control", "public, max-age=3600");
      ctx.contentType("application/json").result(openId.discovery());
    });
    config.routes.get("/oauth2/jwks", ctx -> {
      ctx.header("Cache-Control", "public, max-age=3600");
      ctx.contentType("application/jwk-set+json").result(openId.jwks());
    });
    config.routes.get("/oauth2/userinfo", this::userInfo);
    config.routes.post("/oauth2/userinfo", this::userInfo);
  }

  /** OIDC Core §5.3: the claims of the login behind an access token, with its pairwise subject. */
  private void userInfo(Context ctx) {
    String header = ctx.header("Authorization");
    Clients.Principal principal = header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) ? null
        : clients.resolve(header.substring(7).trim()).filter(p -> p.userId() != null
            && List.of(p.scope().split(" ")).contains("openid")).orElse(null);
    if (principal == null) {
      ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      throw CscException.unauthorized("The access token is invalid or expired");
    }
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", openId.subject(principal.clientId(), principal.userId()));
    if (List.of(principal.scope().split(" ")).contains("profile")) {
      accounts.displayName(principal.userId()).ifPresent(name -> claims.put("name", name));
    }
    ctx.json(claims);
  }
}
