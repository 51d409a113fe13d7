package org.opendsm.server.internal.http;

import com.github.mustachejava.Mustache;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.accounts.AuthenticationException;
import org.opendsm.server.internal.audit.AuditTrail;
import org.opendsm.server.internal.oauth.Sessions;

/**
 * {@code /account}: after password + TOTP (which start a session with the service), the user's
 * certificates with their status, recent activity from the audit trail, a password change (every
 * key re-sealed under the new password; every session ends) and a move to a new authenticator
 * app (QR code, confirmed by the new app's first code and the password). Every form carries a
 * token derived from the session cookie, so no other site can submit them.
 */
final class AccountPages {
  private static final int ACTIVITY = 20;
  private final Accounts accounts;
  private final Sessions sessions;
  private final AuditTrail audit;
  private final Mustache template;

  AccountPages(Accounts accounts, Sessions sessions, AuditTrail audit, Mustache template) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.audit = audit;
    this.template = template;
  }

  void register(JavalinConfig config) {
    config.routes.get("/account", this::show);
    config.routes.post("/account/login", this::login);
    config.routes.post("/account/password", this::changePassword);
    config.routes.post("/account/authenticator", this::beginAuthenticator);
    config.routes.post("/account/authenticator/confirm", this::confirmAuthenticator);
    config.routes.post("/account/logout", this::logout);
  }

  private void show(Context ctx) {
    Pages.headersWithInlineImages(ctx);
    Optional<Sessions.Session> session = session(ctx);
    if (session.isEmpty()) {
      render(ctx, 200, new HashMap<>(Map.of("login", true)));
      return;
    }
    render(ctx, 200, overview(ctx, session.get(), new HashMap<>()));
  }

  private void login(Context ctx) {
    Pages.headersWithInlineImages(ctx);
    String user = field(ctx, "user");
    try (Secret password = Secret.of(ctx.formParam("password") == null ? "" : ctx.formParam("password"))) {
      try (var unlocked = accounts.authenticate(user, password, field(ctx, "otp"), "account")) {
        Sessions.Started started = sessions.start(user, null, unlocked);
        LoginRoutes.setSessionCookie(ctx, started.cookie().reveal(), (int) Sessions.MAXIMUM.toSeconds());
        ctx.redirect("/account", HttpStatus.SEE_OTHER);
      }
    } catch (AuthenticationException e) {
      Map<String, Object> model = new HashMap<>(Map.of("login", true, "user", user));
      model.put("error", e.getMessage() + (e.isLocked() ? "" : ". Check both and try again."));
      render(ctx, 401, model);
    }
  }

  private void changePassword(Context ctx) {
    Pages.headersWithInlineImages(ctx);
    Sessions.Session session = requireSession(ctx);
    if (session == null) {
      return;
    }
    Map<String, Object> model = new HashMap<>();
    try (Secret current = Secret.of(value(ctx, "current")); Secret next = Secret.of(value(ctx, "next"))) {
      if (!next.reveal().equals(value(ctx, "confirm"))) {
        model.put("error", "The two new passwords differ. Type the same new password twice.");
        render(ctx, 400, overview(ctx, session, model));
        return;
      }
      accounts.changePassword(session.userId(), current, next, field(ctx, "otp"));
      sessions.endAll(session.userId(), "password changed");
      LoginRoutes.setSessionCookie(ctx, "", 0);
      render(ctx, 200, new HashMap<>(Map.of("login", true, "user", session.userId(),
          "notice", "Your password is changed and your keys are sealed under it. Sign in again with it.")));
    } catch (AuthenticationException e) {
      model.put("error", e.getMessage() + (e.isLocked() ? "" : ": the current password or the code is wrong."));
      render(ctx, 401, overview(ctx, session, model));
    } catch (IllegalArgumentException e) {
      model.put("error", e.getMessage());
      render(ctx, 400, overview(ctx, session, model));
    }
  }

  private void beginAuthenticator(Context ctx) {
    Pages.headersWithInlineImages(ctx);
    Sessions.Session session = requireSession(ctx);
    if (session == null) {
      return;
    }
    Map<String, Object> model = new HashMap<>();
    EnrolmentPages.scan(model, accounts.beginTotpChange(session.userId()));
    render(ctx, 200, overview(ctx, session, model));
  }

  private void confirmAuthenticator(Context ctx) {
    Pages.headersWithInlineImages(ctx);
    Sessions.Session session = requireSession(ctx);
    if (session == null) {
      return;
    }
    Map<String, Object> model = new HashMap<>();
    try (Secret password = Secret.of(value(ctx, "password"))) {
      accounts.completeTotpChange(session.userId(), password, field(ctx, "otp"));
      model.put("notice", "Your new authenticator app is set up; the old one no longer works.");
      render(ctx, 200, overview(ctx, session, model));
    } catch (AuthenticationException e) {
      model.put("error", e.getMessage() + (e.isLocked() ? "" : ": the password or the new app's code is wrong."
          + " Start again with \"Use a new authenticator app\"."));
      render(ctx, 401, overview(ctx, session, model));
    } catch (IllegalArgumentException e) {
      model.put("error", e.getMessage());
      render(ctx, 400, overview(ctx, session, model));
    }
  }

  private void logout(Context ctx) {
    Pages.headers(ctx);
    if (requireSession(ctx) == null) {
      return;
    }
    sessions.end(ctx.cookie(Sessions.COOKIE), "logout");
    LoginRoutes.setSessionCookie(ctx, "", 0);
    ctx.redirect("/account", HttpStatus.SEE_OTHER);
  }

  private Map<String, Object> overview(Context ctx, Sessions.Session session, Map<String, Object> model) {
    model.put("user", session.userId());
    model.put("name", accounts.displayName(session.userId()).orElse(session.userId()));
    model.put("csrf", csrf(ctx.cookie(Sessions.COOKIE)));
    List<Map<String, Object>> certificates = new ArrayList<>();
    for (Accounts.Credential c : accounts.credentials(session.userId())) {
      X509Certificate cert = c.certificate();
      certificates.add(Map.of("subject", Pages.readableSubject(cert),
          "serial", cert.getSerialNumber().toString(16), "from", cert.getNotBefore().toInstant().toString(),
          "until", cert.getNotAfter().toInstant().toString(), "status", "ACTIVE".equals(c.status()) ? "valid" : "revoked",
          "valid", "ACTIVE".equals(c.status())));
    }
    model.put("certificates", certificates);
    List<Map<String, Object>> activity = new ArrayList<>();
    for (AuditTrail.Entry e : audit.recent(session.userId(), ACTIVITY)) {
      activity.add(Map.of("time", Instant.ofEpochMilli(e.at()).toString(), "event", describe(e.event()),
          "by", e.actor()));
    }
    model.put("activity", activity);
    model.put("overview", true);
    return model;
  }

  /** What the user reads for an audit event. */
  private static String describe(String event) {
    return switch (event) {
      case "login.succeeded" -> "Signed in (password and code)";
      case "login.failed" -> "Failed sign-in";
      case "credential.locked" -> "Locked after failed attempts";
      case "credential.authorized" -> "Approved documents for signing";
      case "signature.created" -> "Signature made";
      case "session.started" -> "Session started";
      case "session.ended" -> "Session ended";
      case "oauth2.code.issued" -> "Signed in to an application";
      case "password.changed" -> "Password changed";
      case "authenticator.changed" -> "Authenticator app changed";
      case "user.enrolled" -> "Account set up, certificate issued";
      default -> event;
    };
  }

  private Optional<Sessions.Session> session(Context ctx) {
    String cookie = ctx.cookie(Sessions.COOKIE);
    return cookie == null ? Optional.empty() : sessions.find(cookie);
  }

  /** The session of a form post whose token matches its cookie; otherwise back to the sign-in. */
  private Sessions.Session requireSession(Context ctx) {
    Optional<Sessions.Session> session = session(ctx);
    String given = ctx.formParam("csrf");
    if (session.isEmpty() || given == null || !MessageDigest.isEqual(
        given.getBytes(StandardCharsets.US_ASCII), csrf(ctx.cookie(Sessions.COOKIE)).getBytes(StandardCharsets.US_ASCII))) {
      ctx.redirect("/account", HttpStatus.SEE_OTHER);
      return null;
    }
    return session.get();
  }

  /** A form token only the cookie's holder can compute. */
  private static String csrf(String cookie) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(DigestAlgorithm.SHA256.digest(
        ("opendsm/account-form/v1:" + cookie).getBytes(StandardCharsets.UTF_8)));
  }

  private void render(Context ctx, int status, Map<String, Object> model) {
    ctx.status(status).html(Pages.render(template, model));
  }

  private static String field(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.trim();
  }

  private static String value(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v;
  }
}
