package org.opendsm.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import org.opendsm.Secret;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.audit.AuditAnchor;
import org.opendsm.server.internal.audit.AuditTrail;
import org.opendsm.server.internal.clients.Clients;
import org.opendsm.server.internal.crypto.Argon2;
import org.opendsm.server.internal.http.HttpServer;
import org.opendsm.server.internal.http.Tls;
import org.opendsm.server.internal.oauth.AuthorizationServer;
import org.opendsm.server.internal.oauth.OpenIdProvider;
import org.opendsm.server.internal.oauth.Sessions;
import org.opendsm.server.internal.pki.CertificateAuthority;
import org.opendsm.server.internal.pki.PkiServices;
import org.opendsm.server.internal.signing.SigningService;
import org.opendsm.server.internal.store.Database;
import org.opendsm.server.internal.store.Housekeeping;
import org.opendsm.server.internal.vault.KeyStorage;
import org.opendsm.server.internal.vault.MasterKeyRing;
import org.opendsm.server.internal.vault.MasterKeyRotation;
import org.opendsm.server.internal.vault.ServerSecrets;
import org.opendsm.server.internal.vault.Pkcs11KeyStorage;
import org.opendsm.server.internal.vault.SoftwareVault;

/**
 * The central signing service, started in-process.
 *
 * <pre>{@code
 * try (ReferenceServer server = ReferenceServer.start(ServerConfig.defaults().withPort(0))) {
 *   URI csc = server.baseUrl().resolve("/csc/v2/info");
 * }
 * }</pre>
 *
 * <p>On first start it creates, under the data directory: the H2 database, the master key, the
 * CA (root, issuing CA, TSA certificate), the TLS certificate and, unless given, the master
 * passphrase and admin token files (mode 600).
 */
public final class ReferenceServer implements AutoCloseable {
  private final HttpServer http;
  private final URI baseUrl;
  private final URI pkiUrl;
  private final X509Certificate tlsCertificate;
  private final CertificateAuthority ca;
  private final AuditTrail audit;
  private final Database db;
  private final AuditAnchor anchor;
  private final Housekeeping housekeeping;
  private final MasterKeyRotation masterKeys;

  private ReferenceServer(HttpServer http, URI baseUrl, URI pkiUrl, X509Certificate tlsCertificate,
      CertificateAuthority ca, AuditTrail audit, Database db, AuditAnchor anchor, Housekeeping housekeeping,
      MasterKeyRotation masterKeys) {
    this.masterKeys = masterKeys;
    this.pkiUrl = pkiUrl;
    this.db = db;
    this.anchor = anchor;
    this.housekeeping = housekeeping;
    this.http = http;
    this.baseUrl = baseUrl;
    this.tlsCertificate = tlsCertificate;
    this.ca = ca;
    this.audit = audit;
  }

  public static ReferenceServer start(ServerConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** With another clock: tests and simulations move time for TOTP steps and expiries. */
  public static ReferenceServer start(ServerConfig config, Clock clock) {
    Path data = config.dataDirectory();
    Secret passphrase = config.masterPassphrase() != null ? config.masterPassphrase()
        : generated(data.resolve("master-passphrase"));
    Secret adminToken = config.adminToken() != null ? config.adminToken() : generated(data.resolve("admin-token"));
    if (adminToken.length() < 16) {
      throw new IllegalStateException("The admin token must be at least 16 characters (DSM_ADMIN_TOKEN)");
    }
    Database db = config.jdbcUrl() == null ? Database.embedded(data, config.minFreeDiskBytes())
        : Database.connect(config.jdbcUrl(), config.jdbcUser(),
            config.jdbcPassword() == null ? "" : config.jdbcPassword().reveal());
    java.util.List<AutoCloseable> opened = new java.util.ArrayList<>(java.util.List.of(db));
    try {
      return start(config, clock, data, passphrase, adminToken, db, opened);
    } catch (RuntimeException e) {
      // A node that cannot start (a master key file lacking the generation in use, say) leaves
      // no pool or timer behind.
      java.util.Collections.reverse(opened);
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static ReferenceServer start(ServerConfig config, Clock clock, Path data, Secret passphrase,
      Secret adminToken, Database db, java.util.List<AutoCloseable> opened) {
    MasterKeyRing master = MasterKeyRing.loadOrCreate(data.resolve("master-key.p12"), passphrase);
    KeyStore tls = Tls.loadOrCreate(data.resolve("tls.p12"), passphrase, "localhost");
    // The PKI URL goes into certificates, so a port 0 is resolved to a free port before anything
    // is issued.
    int pkiPort = config.pkiPort() == 0 ? freePort() : config.pkiPort();
    String publicUrl = config.publicUrl() != null ? config.publicUrl() : "http://localhost:" + pkiPort;
    AuditTrail audit = new AuditTrail(db.jdbi(), clock);
    SoftwareVault vault = new SoftwareVault(master, Argon2.DEFAULT);
    KeyStorage keys = pkcs11(System.getenv()).orElse(vault);
    // Before anything is sealed: the cluster decides which generation of the master key seals.
    MasterKeyRotation masterKeys = new MasterKeyRotation(db.jdbi(), master, vault, keys, audit, clock,
        "pid " + ProcessHandle.current().pid() + ", " + data.toAbsolutePath()).start();
    opened.add(masterKeys);
    CertificateAuthority ca = new CertificateAuthority(db.jdbi(), master, clock, publicUrl);
    ca.initialise("OpenDSM");
    Accounts accounts = new Accounts(db.jdbi(), vault, keys, master, ca, audit, clock);
    Clients clients = new Clients(db.jdbi(), audit, clock);
    SigningService signing = new SigningService(db.jdbi(), accounts, vault, keys, audit, clock);
    PkiServices pki = new PkiServices(db.jdbi(), ca, audit, clock);
    // The issuer is known once the HTTPS port is (port 0 in tests).
    java.util.concurrent.atomic.AtomicReference<URI> issuer = new java.util.concurrent.atomic.AtomicReference<>(
        config.issuer() == null ? null : URI.create(config.issuer()));
    OpenIdProvider openId = new OpenIdProvider(ca, new ServerSecrets(db.jdbi(), master), clock, issuer::get);
    AuthorizationServer oauth = new AuthorizationServer(db.jdbi(), clients, accounts, signing,
        new Sessions(db.jdbi(), vault, audit, clock), openId, audit, clock);
    HttpServer http = new HttpServer(config.host(), config.port(), pkiPort, tls, passphrase,
        new HttpServer.Services(accounts, clients, signing, ca, pki, oauth, audit, adminToken,
            () -> readiness(db, ca, keys, masterKeys), vault, () -> db.backup(data.resolve("backups")), masterKeys))
        .start();
    URI base = URI.create("https://localhost:" + http.port());
    issuer.compareAndSet(null, base);
    audit.append("server.started", "system", base.toString(), java.util.Map.of());
    AuditAnchor anchor = new AuditAnchor(audit, pki, java.time.Duration.ofHours(1));
    Housekeeping housekeeping = new Housekeeping(db.jdbi(), clock, java.time.Duration.ofMinutes(10));
    return new ReferenceServer(http, base, URI.create(publicUrl), Tls.certificate(tls), ca, audit, db, anchor,
        housekeeping, masterKeys);
  }

  /**
   * The PKCS#11 vault when DSM_PKCS11_LIBRARY is set (with DSM_PKCS11_SLOT_INDEX, default 0, and
   * DSM_PKCS11_PIN); otherwise keys stay in the software vault.
   */
  private static java.util.Optional<KeyStorage> pkcs11(java.util.Map<String, String> env) {
    String library = env.get("DSM_PKCS11_LIBRARY");
    if (library == null) {
      return java.util.Optional.empty();
    }
    String pin = env.get("DSM_PKCS11_PIN");
    if (pin == null) {
      throw new IllegalStateException("DSM_PKCS11_LIBRARY is set but DSM_PKCS11_PIN is not");
    }
    return java.util.Optional.of(Pkcs11KeyStorage.open(library,
        Integer.parseInt(env.getOrDefault("DSM_PKCS11_SLOT_INDEX", "0")), Secret.of(pin)));
  }

  private static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port for the PKI services", e);
    }
  }

  /** {@code https://localhost:PORT}. */
  public URI baseUrl() {
    return baseUrl;
  }

  public int port() {
    return http.port();
  }

  /** Where relying parties reach OCSP, CRLs, CA certificates and the TSA (plain HTTP, as certificates say). */
  public URI pkiUrl() {
    return pkiUrl;
  }

  /** The certificate clients must trust for HTTPS (self-signed unless configured). */
  public X509Certificate tlsCertificate() {
    return tlsCertificate;
  }

  /** The CA root: the trust anchor for signatures made with this server's credentials. */
  public X509Certificate rootCertificate() {
    return ca.root().certificate();
  }

  /** Every generation of the CA root, the current one first (a root renewal adds one). */
  public java.util.List<X509Certificate> rootCertificates() {
    return ca.roots().stream().map(CertificateAuthority.Issuer::certificate).toList();
  }

  /** The issuing CA of user and TSA certificates. */
  public X509Certificate issuingCaCertificate() {
    return ca.issuing().certificate();
  }

  /** Checks the audit chain; each problem names the entry. */
  public java.util.List<String> verifyAudit() {
    return audit.verify().stream().map(AuditTrail.Problem::description).toList();
  }

  /**
   * What the master key timer does every {@link MasterKeyRotation#EVERY}, now: re-reads the key
   * file, reports the generations held, re-wraps a batch. Returns the number of values re-wrapped.
   */
  public int refreshMasterKeys() {
    return masterKeys.tick();
  }

  /** Stops accepting requests; in-flight ones finish (10 s at most). */
  @Override
  public void close() {
    masterKeys.close();
    housekeeping.close();
    anchor.close();
    http.stop();
    db.close();
  }

  /** Readiness: the database answers and the vault and CA keys open. */
  private static java.util.Map<String, String> readiness(Database db, CertificateAuthority ca, KeyStorage keys,
      MasterKeyRotation masterKeys) {
    java.util.Map<String, String> checks = new java.util.LinkedHashMap<>();
    checks.put("database", check(() -> db.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one())));
    checks.put("ca", check(() -> ca.issuing().key()));
    checks.put("vault", check(() -> {
      keys.check();
      return null;
    }));
    checks.put("masterKey", check(() -> {
      if (!masterKeys.holdsCurrent()) {
        throw new IllegalStateException("the master key generation in use is not in this node's file");
      }
      return null;
    }));
    return checks;
  }

  private static String check(java.util.concurrent.Callable<?> probe) {
    try {
      probe.call();
      return "UP";
    } catch (Exception e) {
      return "DOWN";
    }
  }

  private static Secret generated(Path file) {
    try {
      if (Files.exists(file)) {
        return Secret.of(Files.readString(file, StandardCharsets.UTF_8).trim());
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------"))), value + "\n", StandardCharsets.UTF_8);
      return Secret.of(value);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create " + file, e);
    }
  }
}
