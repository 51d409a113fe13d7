package org.opendsm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dsm admin ...}: the administrator's operations on a running server, over its admin API.
 * The admin token comes from {@code DSM_ADMIN_TOKEN} or the data directory; the server's TLS
 * certificate is trusted from {@code --cacert} or the data directory's key store.
 */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Administer a running reference server.",
    subcommands = {AdminCommand.CreateClient.class, AdminCommand.CreateUser.class, AdminCommand.Disable.class,
        AdminCommand.Enable.class, AdminCommand.Reset.class, AdminCommand.Revoke.class, AdminCommand.AuditVerify.class,
        AdminCommand.Backup.class, AdminCommand.RenewCertificate.class, AdminCommand.RenewExpiring.class,
        AdminCommand.RenewTsa.class, AdminCommand.RenewIdTokenKey.class, AdminCommand.RenewIssuingCa.class,
        AdminCommand.RenewRootCa.class,
        AdminCommand.MasterKey.class})
final class AdminCommand {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--server", defaultValue = "https://localhost:8443", description = "server URL (default: ${DEFAULT-VALUE})")
  URI server;

  @Option(names = "--data", defaultValue = "dsm-data", description = "the server's data directory (admin token, TLS certificate)")
  Path data;

  @Option(names = "--cacert", description = "PEM certificate to trust for HTTPS (default: the data directory's)")
  Path cacert;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Calls the admin API and prints the JSON answer; exit 0 on 2xx. */
  int call(String method, String path, Object body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path))
        .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json");
    b = "GET".equals(method) ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    HttpResponse<String> r = HttpClient.newBuilder().sslContext(trust()).build()
        .send(b.build(), HttpResponse.BodyHandlers.ofString());
    Object parsed = JSON.readValue(r.body(), Object.class);
    String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(parsed);
    if (r.statusCode() / 100 == 2) {
      spec.commandLine().getOut().println(pretty);
      return ExitCodes.OK;
    }
    spec.commandLine().getErr().println("dsm: the server refused (HTTP " + r.statusCode() + "): " + pretty);
    return r.statusCode() / 100 == 4 ? ExitCodes.BAD_INPUT : ExitCodes.FAILED;
  }

  private String adminToken() throws Exception {
    String env = System.getenv("DSM_ADMIN_TOKEN");
    if (env != null) {
      return env;
    }
    Path file = data.resolve("admin-token");
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("No admin token: set DSM_ADMIN_TOKEN or point --data at the server's data directory");
    }
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }

  private SSLContext trust() throws Exception {
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    if (cacert != null) {
      try (InputStream in = Files.newInputStream(cacert)) {
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          anchors.setCertificateEntry("ca" + i++, c);
        }
      }
    } else {
      Path tls = data.resolve("tls.p12");
      String pass = System.getenv().getOrDefault("DSM_MASTER_PASSPHRASE",
          Files.exists(data.resolve("master-passphrase")) ? Files.readString(data.resolve("master-passphrase")).trim() : "");
      KeyStore server = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(tls)) {
        server.load(in, pass.toCharArray());
      }
      anchors.setCertificateEntry("server", server.getCertificate(server.aliases().nextElement()));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(anchors);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  @Command(name = "create-client", description = "Register an ASP as an OAuth2 client; prints its secret once.")
  static final class CreateClient implements Callable<Integer> {
    @ParentCommand AdminCommand admin;
    @Parameters(index = "0", paramLabel = "CLIENT_ID") String clientId;
    @Option(names = "--name", description = "name shown on the login page") String name;
    @Option(names = "--redirect-uri", description = "allowed redirect URI (repeatable)") List<String> redirectUris = List.of();
    @Option(names = "--uses", split = ",", description = "login, signing or both (default): what the client may ask of users")
    List<String> uses = List.of("login", "signing");

    @Override
    public Integer call() throws Exception {
      return admin.call("POST", "/admin/clients", Map.of("clientId", clientId, "name", name == null ? clientId : name,
          "redirectUris", redirectUris, "uses", uses));
    }
  }

  @Command(name = "create-user", description = "Create a user; prints the one-time enrolment code.")
  static final class CreateUser implements Callable<Integer> {
    @ParentCommand AdminCommand admin;
    @Parameters(index = "0", paramLabel = "USER_ID") String userId;
    @Option(names = "--name", required = true, description = "the name on the certificate") String name;
    @Option(names = "--auth-mode", defaultValue = "oauth2code",
        description = "oauth2code (default: factors on the server's login page) or explicit (through the ASP)") String mode;

    @Override
    public Integer call() throws Exception {
      return admin.call("POST", "/admin/users", Map.of("userId", userId, "displayName", name, "authMode", mode));
    }
  }

  @Command(name = "disable", description = "Disable a user (no authentication, no signing).")
  static final class Disable implements Callable<Integer> {
    @ParentCommand AdminCommand admin;
    @Parameters(index = "0", paramLabel = "USER_ID") String userId;

    @Override
    public Integer call() throws Exception {
      return admin.call("POST", "/admin/users/" + userId + "/disable", Map.of());
    }
  }

  @Command(name = "enable", description = "Enable a disabled user.")
  static final class Enable implements Callable<Integer> {
    @ParentCommand AdminCommand admin;
    @Parameters(index = "0", paramLabel = "USER_ID") String userId;

    @Override
    public Integer call() throws Exception {
      return admin.call("POST", "/admin/users/" + userId + "/enable", Map.of());
    }
  }

  @Command(name = "reset", description = "Revoke a user's certificates and issue a new enrolment code (new key, new certificate).")
  static final class Reset implements Callable<Integer> {
    @ParentCommand AdminCommand admin;
    @Parameters(index = "0", paramLabel = "USER_ID") String userId;

    @Override
    public Integer call() throws Exception {
      return admin.call("POST", "/admin/users/" + userId + "/reset", Map.of());
    }
  }

  @Command(name = "revoke", description = "Revoke a credential's certificate (OCSP and CRL show it at once).")
  static final class Revoke implements Callable<Integer> {
    @ParentCommand AdminCommand admin;
    @Parameters(index = "0", paramLabel = "CREDENTIAL_ID") String credentialId;

    @Override
    public Integer call() throws Exception {
      return admin.call("POST", "/admin/credentials/" + credentialId + "/revoke", Map.of());
    }
  }

  @Command(name = "renew-certificate", description = "Issue a new certificate for a credential's key (the old one"
      + " stays valid until it expires).")
  static final class RenewCertificate implements Callable<Integer> {
    @ParentCommand AdminCommand admin;
    @Parameters(index = "0", paramLabel = "CREDENTIAL_ID") String credentialId;

    @Override
    public Integer call() throws Exception {
      return admin.call("POST", "/admin/credentials/" + credentialId + "/renew", Map.of());
    }
  }

  @Command(name = "renew-expiring", description = "Renew every active certificate that expires within --days,"
      + " and the issuing CA, the TSA and the ID-token key when they are due (run it from cron).")
  static final class RenewExpiring implements Callable<Integer> {
    @ParentCommand AdminCommand admin;
    @Option(names = "--days", defaultValue = "60", description = "renew what expires within this many days"
        + " (default: ${DEFAULT-VALUE})") int days;
    @Option(names = "--from-old-issuing-ca", description = "also renew every certificate an earlier generation of"
        + " the issuing CA issued") boolean fromOldIssuingCa;

    @Override
    public Integer call() throws Exception {
      return admin.call("POST", "/admin/certificates/renew-expiring", Map.of("days", days,
          "fromOldIssuingCa", fromOldIssuingCa));
    }
  }

  @Command(name = "renew-root-ca", description = "A new root (certified by the old one, so relying parties that trust"
      + " only the old root still validate) and a new issuing CA under it.")
  static final class RenewRootCa implements Callable<Integer> {
    @ParentCommand AdminCommand admin;

    @Override
    public Integer call() throws Exception {
      return admin.call("POST", "/admin/ca/renew-root", Map.of());
    }
  }

  @Command(name = "renew-issuing-ca", description = "A new key and certificate for the issuing CA, signed by the root;"
      + " the previous generation keeps answering OCSP and publishing its CRL for what it issued.")
  static final class RenewIssuingCa implements Callable<Integer> {
    @ParentCommand AdminCommand admin;

    @Override
    public Integer call() throws Exception {
      return admin.call("POST", "/admin/ca/renew", Map.of());
    }
  }

  @Command(name = "renew-tsa", description = "A new key and certificate for the time-stamping authority (the old"
      + " certificate stays valid until it expires).")
  static final class RenewTsa implements Callable<Integer> {
    @ParentCommand AdminCommand admin;

    @Override
    public Integer call() throws Exception {
      return admin.call("POST", "/admin/tsa/renew", Map.of());
    }
  }

  @Command(name = "renew-id-token-key", description = "A new key for signing OpenID Connect ID tokens (the old one"
      + " stays published while its certificate is valid).")
  static final class RenewIdTokenKey implements Callable<Integer> {
    @ParentCommand AdminCommand admin;

    @Override
    public Integer call() throws Exception {
      return admin.call("POST", "/admin/oidc/renew-key", Map.of());
    }
  }

  @Command(name = "backup", description = "Copy the embedded database, online, into the data directory's backups/"
      + " (PostgreSQL: use pg_dump); prints the file.")
  static final class Backup implements Callable<Integer> {
    @ParentCommand AdminCommand admin;

    @Override
    public Integer call() throws Exception {
      return admin.call("POST", "/admin/backup", Map.of());
    }
  }

  @Command(name = "audit-verify", description = "Check the audit chain; names any modified, deleted or reordered entry.")
  static final class AuditVerify implements Callable<Integer> {
    @ParentCommand AdminCommand admin;

    @Override
    public Integer call() throws Exception {
      // The server answers 409 when the chain is broken: that is a finding (exit 1), not bad input.
      int rc = admin.call("GET", "/admin/audit/verify", null);
      return rc == ExitCodes.BAD_INPUT ? ExitCodes.FAILED : rc;
    }
  }

  @Command(name = "master-key", description = "Rotate the master key without downtime: status, stage, activate,"
      + " retire (see the README, \"Rotating the master key\").",
      subcommands = {MasterKey.Status.class, MasterKey.Stage.class, MasterKey.Activate.class, MasterKey.Retire.class})
  static final class MasterKey {
    @ParentCommand AdminCommand admin;

    @Command(name = "status", description = "Generations, what each still seals, and the generations each node holds.")
    static final class Status implements Callable<Integer> {
      @ParentCommand MasterKey masterKey;

      @Override
      public Integer call() throws Exception {
        return masterKey.admin.call("GET", "/admin/master-key", null);
      }
    }

    @Command(name = "stage", description = "Add a new generation to this node's master-key.p12; copy the file to every"
        + " other node before activating it.")
    static final class Stage implements Callable<Integer> {
      @ParentCommand MasterKey masterKey;

      @Override
      public Integer call() throws Exception {
        return masterKey.admin.call("POST", "/admin/master-key/stage", Map.of());
      }
    }

    @Command(name = "activate", description = "Seal new values with GENERATION (refused until every live node holds"
        + " it); older values are re-wrapped in the background.")
    static final class Activate implements Callable<Integer> {
      @ParentCommand MasterKey masterKey;
      @Parameters(index = "0", paramLabel = "GENERATION") int generation;

      @Override
      public Integer call() throws Exception {
        return masterKey.admin.call("POST", "/admin/master-key/" + generation + "/activate", Map.of());
      }
    }

    @Command(name = "retire", description = "Remove GENERATION from this node's master-key.p12 once it seals nothing"
        + " (refused before, with what is left); copy the file to the other nodes.")
    static final class Retire implements Callable<Integer> {
      @ParentCommand MasterKey masterKey;
      @Parameters(index = "0", paramLabel = "GENERATION") int generation;

      @Override
      public Integer call() throws Exception {
        return masterKey.admin.call("POST", "/admin/master-key/" + generation + "/retire", Map.of());
      }
    }
  }
}
