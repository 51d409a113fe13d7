package org.opendsm.server.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mustachejava.Mustache;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.server.internal.accounts.AuthenticationException;
import org.opendsm.server.internal.oauth.AuthorizationServer;
import org.opendsm.server.internal.oauth.AuthorizeRequest;
import org.opendsm.server.internal.oauth.Sessions;

/**
 * The login and consent page ({@code /oauth2/authorize}): Mustache templates (HTML-escaped), one
 * stylesheet, no script, no external resource, a strict Content-Security-Policy. The form carries
 * only a random handle to the pending request; the request itself stays on the server.
 */
final class LoginRoutes {
  private static final String BROWSER = "__Host-dsm_browser";
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
  private final AuthorizationServer oauth;
  private final Mustache login;
  private final Mustache message;
  private final Mustache logout;
  private final byte[] stylesheet;
  private final ObjectMapper json = new ObjectMapper();

  LoginRoutes(AuthorizationServer oauth) {
    this.oauth = oauth;
    this.login = Pages.template("login.mustache");
    this.message = Pages.template("message.mustache");
    this.logout = Pages.template("logout.mustache");
    try (InputStream in = LoginRoutes.class.getResourceAsStream("/org/opendsm/server/web/style.css")) {
      this.stylesheet = in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  void register(JavalinConfig config) {
    config.routes.get("/oauth2/authorize", this::show);
    config.routes.post("/oauth2/authorize", this::submit);
    config.routes.get("/static/style.css", ctx -> ctx.contentType("text/css").result(stylesheet));
    config.routes.get("/oauth2/logout", this::logout);
    config.routes.post("/oauth2/logout", this::logout);
  }

  /**
   * RP-initiated logout. With an {@code id_token_hint} it acts at once; without one it asks the
   * user to confirm (a bare link must not sign anyone out).
   */
  private void logout(Context ctx) {
    Pages.headers(ctx);
    String hint = param(ctx, "id_token_hint");
    boolean confirmed = "POST".equals(ctx.method().name()) && "signout".equals(ctx.formParam("action"));
    if (hint == null && !confirmed) {
      ctx.status(200).html(Pages.render(logout, Map.of()));
      return;
    }
    try {
      var location = oauth.logout(ctx.cookie(Sessions.COOKIE), hint, param(ctx, "post_logout_redirect_uri"),
          param(ctx, "state"));
      setSessionCookie(ctx, "", 0);
      if (location.isPresent()) {
        ctx.redirect(location.get(), HttpStatus.FOUND);
      } else {
        message(ctx, 200, "You are signed out of the OpenDSM signing service.");
      }
    } catch (AuthorizationServer.PageError e) {
      message(ctx, 400, e.getMessage());
    }
  }

  /** A parameter from the query or, for a POST, the form. */
  private static String param(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null && "POST".equals(ctx.method().name())) {
      value = ctx.formParam(name);
    }
    return value == null || value.isEmpty() ? null : value;
  }

  private void show(Context ctx) {
    Pages.headers(ctx);
    try {
      AuthorizationServer.Step step = oauth.begin(request(ctx), ctx.cookie(Sessions.COOKIE), browser(ctx));
      if (step instanceof AuthorizationServer.Redirect r) {
        ctx.redirect(r.location(), HttpStatus.FOUND);
      } else if (step instanceof AuthorizationServer.ShowPage page) {
        page(ctx, 200, page.pending(), null, "");
      }
    } catch (AuthorizationServer.PageError e) {
      message(ctx, 400, e.getMessage());
    } catch (AuthorizationServer.RedirectError e) {
      ctx.redirect(e.location(), HttpStatus.FOUND);
    } catch (CscException e) {
      message(ctx, 400, e.getMessage());
    }
  }

  private void submit(Context ctx) {
    Pages.headers(ctx);
    String handle = ctx.formParam("request");
    try {
      if ("cancel".equals(ctx.formParam("action"))) {
        ctx.redirect(oauth.cancel(handle, ctx.cookie(BROWSER)), HttpStatus.FOUND);
        return;
      }
      String user = ctx.formParam("user") == null ? "" : ctx.formParam("user").trim();
      String otp = ctx.formParam("otp") == null ? "" : ctx.formParam("otp").trim();
      String cookie = ctx.cookie(Sessions.COOKIE);
      boolean inSession = "session".equals(ctx.formParam("mode"));
      try (Secret password = Secret.of(ctx.formParam("password") == null ? "" : ctx.formParam("password"))) {
        if (inSession) {
          ctx.redirect(oauth.loginInSession(handle, ctx.cookie(BROWSER), cookie, otp), HttpStatus.FOUND);
        } else {
          AuthorizationServer.LoginResult result = oauth.login(handle, ctx.cookie(BROWSER), user, password, otp);
          if (result.sessionCookie() != null) {
            setSessionCookie(ctx, result.sessionCookie().reveal(), (int) Sessions.MAXIMUM.toSeconds());
          }
          ctx.redirect(result.location(), HttpStatus.FOUND);
        }
      } catch (AuthenticationException e) {
        AuthorizationServer.Pending p = oauth.pending(handle, cookie).orElse(null);
        if (p == null) {
          message(ctx, 400, "This sign-in page has expired. Return to the application and start again.");
        } else {
          String hint = e.isLocked() ? "" : p.sessionUser() != null ? ". Wait for the next code and try again."
              : ". Check both and try again.";
          page(ctx, 401, p, e.getMessage() + hint, user);
        }
      }
    } catch (AuthorizationServer.PageError e) {
      message(ctx, 400, e.getMessage());
    }
  }

  private AuthorizeRequest request(Context ctx) {
    List<byte[]> digests = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    String credential = ctx.queryParam("credentialID");
    String hashAlgo = ctx.queryParam("hashAlgorithmOID");
    String hashes = ctx.queryParam("hashes");
    if (hashes != null && !hashes.isEmpty()) {
      for (String h : hashes.split(",")) {
        digests.add(decode(h, true));
      }
    }
    String details = ctx.queryParam("authorization_details");
    String scope = ctx.queryParam("scope");
    if (details != null) {
      try {
        for (JsonNode d : json.readTree(details)) {
          scope = "credential";
          credential = d.path("credentialID").asText(null);
          hashAlgo = d.path("hashAlgorithmOID").asText(hashAlgo);
          for (JsonNode doc : d.path("documentDigests")) {
            digests.add(decode(doc.path("hash").asText(""), false));
            labels.add(doc.path("label").asText(""));
          }
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw CscException.invalidRequest("authorization_details is not valid JSON");
      }
    }
    DigestAlgorithm algorithm = digests.isEmpty() ? null
        : hashAlgo == null ? DigestAlgorithm.SHA256 : Algorithms.digest(hashAlgo);
    if (algorithm != null) {
      for (byte[] d : digests) {
        if (d.length != algorithm.length()) {
          throw CscException.invalidRequest("A hash has the wrong length for " + algorithm);
        }
      }
    }
    return new AuthorizeRequest(ctx.queryParam("response_type"), ctx.queryParam("client_id"),
        ctx.queryParam("redirect_uri"), scope, ctx.queryParam("state"), ctx.queryParam("code_challenge"),
        ctx.queryParam("code_challenge_method"), credential, number(ctx, "numSignatures"), digests,
        algorithm, ctx.queryParam("description"), ctx.queryParam("nonce"), ctx.queryParam("prompt"),
        number(ctx, "max_age") == null ? null : number(ctx, "max_age").longValue(),
        labels.size() == digests.size() ? labels : List.of());
  }

  private static Integer number(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw CscException.invalidRequest(name + " must be a number");
    }
  }

  /**
   * This browser's binding cookie, made on its first visit: a login form counts only from the
   * browser that opened the page, so no other site can log a visitor in to its own account.
   */
  private static String browser(Context ctx) {
    String value = ctx.cookie(BROWSER);
    if (value == null || value.length() != 43) {
      byte[] b = new byte[32];
      RANDOM.nextBytes(b);
      value = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      ctx.res().addHeader("Set-Cookie", BROWSER + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Lax");
    }
    return value;
  }

  /** The session cookie: host-only, HTTPS only, out of scripts' reach, sent on top-level navigations. */
  static void setSessionCookie(Context ctx, String value, int maxAgeSeconds) {
    ctx.res().addHeader("Set-Cookie", Sessions.COOKIE + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age="
        + maxAgeSeconds);
  }

  private static byte[] decode(String value, boolean url) {
    try {
      return url ? Base64.getUrlDecoder().decode(value) : Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw CscException.invalidRequest("A hash is not valid base64");
    }
  }

  private void page(Context ctx, int status, AuthorizationServer.Pending p, String error, String user) {
    Map<String, Object> model = new HashMap<>();
    model.put("clientName", p.clientName());
    model.put("signing", p.signing());
    model.put("sessionUser", p.sessionUser());
    model.put("documents", p.documents());
    model.put("labels", p.labels());
    model.put("plural", p.documents() == 1 ? "" : "s");
    model.put("verificationCode", p.verificationCode());
    model.put("description", p.description());
    model.put("handle", p.handle());
    model.put("error", error);
    model.put("user", user);
    ctx.status(status).html(Pages.render(login, model));
  }

  private void message(Context ctx, int status, String text) {
    ctx.status(status).html(Pages.render(message, Map.of("message", text, "ok", status < 400)));
  }
}
