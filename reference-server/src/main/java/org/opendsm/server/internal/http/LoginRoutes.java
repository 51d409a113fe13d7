package org.opendsm.server.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.InputStream;
import java.io.StringWriter;
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

/**
 * The login and consent page ({@code /oauth2/authorize}): Mustache templates (HTML-escaped), one
 * stylesheet, no script, no external resource, a strict Content-Security-Policy. The form carries
 * only a random handle to the pending request; the request itself stays on the server.
 */
final class LoginRoutes {
  private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' https:;"
      + " frame-ancestors 'none'; base-uri 'none'";
  private final AuthorizationServer oauth;
  private final Mustache login;
  private final Mustache message;
  private final byte[] stylesheet;
  private final ObjectMapper json = new ObjectMapper();

  LoginRoutes(AuthorizationServer oauth) {
    this.oauth = oauth;
    MustacheFactory mf = new DefaultMustacheFactory("org/opendsm/server/web");
    this.login = mf.compile("login.mustache");
    this.message = mf.compile("message.mustache");
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
  }

  private void show(Context ctx) {
    headers(ctx);
    try {
      AuthorizationServer.Pending p = oauth.begin(request(ctx));
      page(ctx, 200, p, null, "");
    } catch (AuthorizationServer.PageError e) {
      message(ctx, 400, e.getMessage());
    } catch (AuthorizationServer.RedirectError e) {
      ctx.redirect(e.location(), HttpStatus.FOUND);
    } catch (CscException e) {
      message(ctx, 400, e.getMessage());
    }
  }

  private void submit(Context ctx) {
    headers(ctx);
    String handle = ctx.formParam("request");
    try {
      if ("cancel".equals(ctx.formParam("action"))) {
        ctx.redirect(oauth.cancel(handle), HttpStatus.FOUND);
        return;
      }
      String user = ctx.formParam("user") == null ? "" : ctx.formParam("user").trim();
      String otp = ctx.formParam("otp") == null ? "" : ctx.formParam("otp").trim();
      try (Secret password = Secret.of(ctx.formParam("password") == null ? "" : ctx.formParam("password"))) {
        ctx.redirect(oauth.login(handle, user, password, otp), HttpStatus.FOUND);
      } catch (AuthenticationException e) {
        AuthorizationServer.Pending p = oauth.pending(handle).orElse(null);
        if (p == null) {
          message(ctx, 400, "This sign-in page has expired. Return to the application and start again.");
        } else {
          page(ctx, 401, p, e.getMessage() + (e.isLocked() ? "" : ". Check both and try again."), user);
        }
      }
    } catch (AuthorizationServer.PageError e) {
      message(ctx, 400, e.getMessage());
    }
  }

  private AuthorizeRequest request(Context ctx) {
    List<byte[]> digests = new ArrayList<>();
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
    String num = ctx.queryParam("numSignatures");
    return new AuthorizeRequest(ctx.queryParam("response_type"), ctx.queryParam("client_id"),
        ctx.queryParam("redirect_uri"), scope, ctx.queryParam("state"), ctx.queryParam("code_challenge"),
        ctx.queryParam("code_challenge_method"), credential, num == null ? null : Integer.valueOf(num), digests,
        algorithm, ctx.queryParam("description"));
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
    model.put("signing", "credential".equals(p.scope()));
    model.put("documents", p.documents());
    model.put("plural", p.documents() == 1 ? "" : "s");
    model.put("verificationCode", p.verificationCode());
    model.put("description", p.description());
    model.put("handle", p.handle());
    model.put("error", error);
    model.put("user", user);
    ctx.status(status).html(render(login, model));
  }

  private void message(Context ctx, int status, String text) {
    ctx.status(status).html(render(message, Map.of("message", text)));
  }

  private static String render(Mustache template, Map<String, Object> model) {
    StringWriter out = new StringWriter();
    template.execute(out, model);
    return out.toString();
  }

  private static void headers(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
  }
}
