package org.opendsm.server.internal.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.security.KeyStore;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.opendsm.Secret;
import org.opendsm.internal.Dss;
import org.opendsm.protocol.ErrorResponse;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.clients.Clients;
import org.opendsm.server.internal.pki.CertificateAuthority;
import org.opendsm.server.internal.signing.SigningRefused;
import org.opendsm.server.internal.signing.SigningService;
import org.opendsm.server.internal.vault.SoftwareVault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS front: Javalin on Jetty with one TLS connector, one error mapper writing the CSC
 * error JSON, request ids and security headers on every response. Unknown failures become a 500
 * with the request id, never their message.
 */
public final class HttpServer {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
  /** One line per request: id, method, path (never the query or body), status. */
  private static final Logger ACCESS = LoggerFactory.getLogger("org.opendsm.server.access");
  private static final int MAX_BODY = 256 * 1024;
  private final Javalin app;

  /** The services the routes use. */
  public record Services(Accounts accounts, Clients clients, SigningService signing, CertificateAuthority ca,
      org.opendsm.server.internal.pki.PkiServices pki, org.opendsm.server.internal.oauth.AuthorizationServer oauth,
      org.opendsm.server.internal.audit.AuditTrail audit, Secret adminToken,
      java.util.function.Supplier<Map<String, String>> readiness, SoftwareVault vault,
      java.util.function.Supplier<java.nio.file.Path> backup,
      org.opendsm.server.internal.vault.MasterKeyRotation masterKeys) {}

  public HttpServer(String host, int port, int pkiPort, KeyStore tls, Secret tlsPassword, Services s) {
    Metrics metrics = new Metrics();
    s.audit().listen(metrics);
    s.vault().onDerivation(metrics::keyDerivation);
    ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jsonMapper(new JavalinJackson(json, false));
      config.http.maxRequestSize = MAX_BODY;
      config.http.prefer405over404 = true;
      config.jetty.modifyServer(server -> server.setStopTimeout(10_000));
      config.jetty.addConnector((server, httpConfig) -> {
        httpConfig.addCustomizer(new SecureRequestCustomizer(false));
        // A signing request names up to 100 documents (digest and label) in the authorize URL.
        httpConfig.setRequestHeaderSize(32 * 1024);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls);
        ssl.setKeyStorePassword(tlsPassword.reveal());
        ssl.setSniRequired(false);
        ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
            new HttpConnectionFactory(httpConfig));
        c.setHost(host);
        c.setPort(port);
        c.setIdleTimeout(30_000);
        return c;
      });
      if (pkiPort > 0) {
        config.jetty.addConnector((server, httpConfig) -> {
          ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
          c.setHost(host);
          c.setPort(pkiPort);
          c.setIdleTimeout(30_000);
          return c;
        });
      }
      config.routes.before(ctx -> {
        // Plain HTTP serves only what relying parties fetch: OCSP, CRLs, CA certificates, TSA.
        if (!ctx.req().isSecure() && !ctx.path().startsWith("/pki/")) {
          throw new CscException(403, "invalid_request", "Use HTTPS; plain HTTP serves /pki/ only");
        }
        ctx.attribute("startNanos", System.nanoTime());
        String requestId = UUID.randomUUID().toString();
        ctx.attribute("requestId", requestId);
        ctx.header("X-Request-Id", requestId);
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Strict-Transport-Security", "max-age=31536000");
      });
      config.routes.after(ctx -> {
        ACCESS.info("{} {} {} -> {}", ctx.attribute("requestId"), ctx.method(), ctx.path(), ctx.statusCode());
        Long start = ctx.attribute("startNanos");
        if (start != null) {
          metrics.request(ctx.method().name(), ctx.path(), ctx.statusCode(), System.nanoTime() - start);
        }
      });
      errors(config);
      new CscRoutes(s.accounts(), s.clients(), s.signing(), s.ca(), s.pki()).register(config);
      new TokenRoutes(s.clients(), s.oauth(), s.signing()).register(config);
      new LoginRoutes(s.oauth()).register(config);
      new OpenIdRoutes(s.oauth().openId(), s.clients(), s.accounts()).register(config);
      new EnrolmentPages(s.accounts(), Pages.template("enroll.mustache")).register(config);
      new ViewerPages(() -> s.ca().roots().stream().map(org.opendsm.server.internal.pki.CertificateAuthority.Issuer::certificate)
          .toList(), Pages.template("viewer.mustache")).register(config);
      new AccountPages(s.accounts(), s.oauth().sessions(), s.audit(), Pages.template("account.mustache")).register(config);
      new AdminRoutes(s.accounts(), s.clients(), s.pki(), s.audit(), s.adminToken(), s.backup(), s.ca(),
          s.masterKeys()).register(config);
      new PkiRoutes(s.pki(), s.ca()).register(config);
      config.routes.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
      config.routes.get("/health/ready", ctx -> {
        Map<String, String> checks = s.readiness().get();
        boolean up = checks.values().stream().allMatch("UP"::equals);
        ctx.status(up ? 200 : 503).json(Map.of("status", up ? "UP" : "DOWN", "checks", checks));
      });
      config.routes.get("/metrics", ctx -> {
        AdminRoutes.requireAdmin(ctx, s.adminToken());
        ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape());
      });
      byte[] logo = logo();
      config.routes.get("/logo.png", ctx -> ctx.contentType("image/png").result(logo));
    });
  }

  private static void errors(io.javalin.config.JavalinConfig config) {
    config.routes.exception(CscException.class, (e, ctx) ->
        ctx.status(e.status()).json(error(e.error(), e.getMessage())));
    config.routes.exception(SigningRefused.class, (e, ctx) ->
        ctx.status(400).json(error(e.error(), e.getMessage())));
    config.routes.exception(IllegalArgumentException.class, (e, ctx) ->
        ctx.status(400).json(error("invalid_request", e.getMessage())));
    config.routes.exception(JsonProcessingException.class, (e, ctx) ->
        ctx.status(400).json(error("invalid_request", "Malformed JSON body, or a parameter of the wrong type")));
    config.routes.exception(HttpResponseException.class, (e, ctx) -> ctx.status(e.getStatus())
        .json(error("invalid_request", e.getMessage())));
    config.routes.exception(Exception.class, (e, ctx) -> {
      String requestId = ctx.attribute("requestId");
      if (org.opendsm.server.internal.store.Database.unavailable(e)) {
        // Nothing of the request was committed (a signature is returned only after its commit),
        // so the client may repeat it once the database is back.
        LOG.warn("Request {} failed: database unavailable ({})", requestId,
            org.opendsm.server.internal.store.Database.describe(e));
        ctx.status(503).header("Retry-After", "5").json(error("temporarily_unavailable",
            "The service is temporarily unavailable; try again shortly (request id " + requestId + ")"));
        return;
      }
      if (missingGeneration(e)) {
        // Another node has the file with this generation: the client may repeat the request there.
        LOG.error("Request {} failed: {}", requestId, e.getMessage());
        ctx.status(503).header("Retry-After", "10").json(error("temporarily_unavailable",
            "This node cannot open the data yet; try again shortly (request id " + requestId + ")"));
        return;
      }
      LOG.error("Request {} failed", requestId, e);
      ctx.status(500).json(error("server_error", "Internal error; request id " + requestId));
    });
    config.routes.error(404, ctx -> ctx.json(error("invalid_request", "Unknown path " + ctx.path())));
    config.routes.error(405, ctx -> ctx.json(error("invalid_request", "Method not allowed on " + ctx.path())));
  }

  private static byte[] logo() {
    try (var in = HttpServer.class.getResourceAsStream("/org/opendsm/server/logo.png")) {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean missingGeneration(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.opendsm.server.internal.vault.MasterKeyRing.MissingGeneration) {
        return true;
      }
    }
    return false;
  }

  private static ErrorResponse error(String error, String description) {
    return new ErrorResponse(error, description == null ? error : description);
  }

  public HttpServer start() {
    app.start();
    return this;
  }

  public int port() {
    return app.port();
  }

  public void stop() {
    app.stop();
  }
}
