package org.opendsm.server.internal.http;

import org.opendsm.server.internal.vault.MasterKeyRotation;


import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.opendsm.Secret;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.accounts.AuthenticationException;
import org.opendsm.server.internal.clients.Clients;
import org.opendsm.server.internal.vault.KeySpec;

/**
 * The administrator's API (bearer admin token): register ASPs, create users with an enrolment
 * code. And the enrolment API a user (or the enrolment page) calls with that code.
 */
final class AdminRoutes {
  private final Accounts accounts;
  private final Clients clients;
  private final org.opendsm.server.internal.pki.PkiServices pki;
  private final org.opendsm.server.internal.audit.AuditTrail audit;
  private final Secret adminToken;
  private final java.util.function.Supplier<java.nio.file.Path> backup;
  private final org.opendsm.server.internal.pki.CertificateAuthority ca;
  private final MasterKeyRotation masterKeys;

  AdminRoutes(Accounts accounts, Clients clients, org.opendsm.server.internal.pki.PkiServices pki,
      org.opendsm.server.internal.audit.AuditTrail audit, Secret adminToken,
      java.util.function.Supplier<java.nio.file.Path> backup, org.opendsm.server.internal.pki.CertificateAuthority ca,
      MasterKeyRotation masterKeys) {
    this.masterKeys = masterKeys;
    this.backup = backup;
    this.ca = ca;
    this.accounts = accounts;
    this.clients = clients;
    this.pki = pki;
    this.audit = audit;
    this.adminToken = adminToken;
  }

  record NewClient(String clientId, String name, List<String> redirectUris, List<String> uses) {}

  record NewUser(String userId, String displayName, String authMode) {}

  record Enrol(String code, String password, String otp, String keyType) {
    @Override
    public String toString() {
      return "Enrol[redacted]";
    }
  }

  void register(JavalinConfig config) {
    config.routes.post("/admin/clients", this::newClient);
    config.routes.post("/admin/users", this::newUser);
    config.routes.post("/admin/credentials/{id}/revoke", this::revoke);
    config.routes.post("/admin/credentials/{id}/renew", this::renew);
    config.routes.post("/admin/certificates/renew-expiring", this::renewExpiring);
    config.routes.post("/admin/tsa/renew", this::renewTsa);
    config.routes.post("/admin/ca/renew", this::renewIssuingCa);
    config.routes.post("/admin/ca/renew-root", this::renewRoot);
    config.routes.post("/admin/oidc/renew-key", this::renewIdTokenKey);
    config.routes.post("/admin/users/{id}/disable", ctx -> enabled(ctx, false));
    config.routes.post("/admin/users/{id}/enable", ctx -> enabled(ctx, true));
    config.routes.post("/admin/users/{id}/reset", this::reset);
    config.routes.get("/admin/audit/verify", this::auditVerify);
    config.routes.post("/admin/backup", this::backup);
    config.routes.get("/admin/master-key", this::masterKeyStatus);
    config.routes.post("/admin/master-key/stage", this::stageMasterKey);
    config.routes.post("/admin/master-key/{generation}/activate", ctx -> masterKeyStep(ctx, true));
    config.routes.post("/admin/master-key/{generation}/retire", ctx -> masterKeyStep(ctx, false));
    config.routes.post("/enrol/begin", this::beginEnrolment);
    config.routes.post("/enrol/complete", this::completeEnrolment);
  }

  private void newClient(Context ctx) {
    requireAdmin(ctx);
    NewClient req = JsonBodies.read(ctx, NewClient.class);
    Clients.Registration r = clients.register("admin", req.clientId(),
        req.name() == null ? req.clientId() : req.name(), req.redirectUris() == null ? List.of() : req.redirectUris(),
        Clients.Use.parse(req.uses()));
    ctx.status(201).json(Map.of("clientId", r.clientId(), "clientSecret", r.clientSecret().reveal()));
  }

  private void newUser(Context ctx) {
    requireAdmin(ctx);
    NewUser req = JsonBodies.read(ctx, NewUser.class);
    Accounts.AuthMode mode = req.authMode() == null ? Accounts.AuthMode.OAUTH2CODE
        : Accounts.AuthMode.parse(req.authMode());
    Accounts.Enrolment e = accounts.createUser("admin", req.userId(), req.displayName(), mode);
    ctx.status(201).json(Map.of("userId", e.userId(), "enrolmentCode", e.code(), "enrolmentUrl", enrolmentUrl(ctx, e)));
  }

  /** The enrolment page with the code filled in, at the address the administrator reached. */
  private static String enrolmentUrl(Context ctx, Accounts.Enrolment e) {
    return "https://" + ctx.host() + "/enroll?code=" + java.net.URLEncoder.encode(e.code(),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  private void revoke(Context ctx) {
    requireAdmin(ctx);
    String id = ctx.pathParam("id");
    Accounts.Credential c = accounts.ownerOf(id).flatMap(u -> accounts.credential(u, id))
        .orElseThrow(() -> CscException.invalidRequest("Invalid parameter credentialID"));
    pki.revokeCredential("admin", c.id(), org.bouncycastle.asn1.x509.CRLReason.keyCompromise); // renewed ones too
    ctx.json(Map.of("credentialID", id, "status", "revoked"));
  }

  /** A new certificate for the credential's key (the earlier one stays valid until it expires). */
  private void renew(Context ctx) {
    requireAdmin(ctx);
    String id = ctx.pathParam("id");
    X509Certificate cert = accounts.renewCertificate("admin", id);
    ctx.json(renewal(id, cert));
  }

  /** Renews every active credential whose certificate expires within {@code days} (cron this). */
  private void renewExpiring(Context ctx) {
    requireAdmin(ctx);
    RenewExpiring req = JsonBodies.read(ctx, RenewExpiring.class);
    if (req.days() == null || req.days() < 1 || req.days() > 3650) {
      throw CscException.invalidRequest("days must be a number of days from 1 to 3650");
    }
    java.time.Duration window = java.time.Duration.ofDays(req.days());
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    ca.reload(); // what any node renewed, not this node's five-minute cache
    // First the issuing CA, while it still outlives what it issues: the certificates renewed
    // below then come from the new generation. A new one is useful only if the root outlives it.
    java.time.Duration needed = window.plus(org.opendsm.server.internal.pki.CertificateAuthority.USER_CERTIFICATE_VALIDITY);
    if (ca.issuingCaExpiresWithin(needed)) {
      if (ca.rootExpiresWithin(needed)) {
        out.put("issuingCa", Map.of("renewed", false, "reason", "The root expires within " + needed.toDays()
            + " days: renew the root (renew-root-ca), which issues a new issuing CA too"));
      } else {
        out.put("issuingCa", caRenewal("issuing-ca.renewed", ca.renewIssuingCa()));
      }
    }
    java.util.Set<String> ids = new java.util.LinkedHashSet<>(accounts.expiringWithin(window));
    if (Boolean.TRUE.equals(req.fromOldIssuingCa())) {
      ids.addAll(accounts.issuedByOtherThan(ca.issuing().certificate().getSerialNumber().toString(16)));
    }
    List<Map<String, Object>> renewed = new java.util.ArrayList<>();
    for (String id : ids) {
      renewed.add(renewal(id, accounts.renewCertificate("admin", id)));
    }
    out.put("renewed", renewed);
    if (ca.tsaExpiresWithin(window)) {
      out.put("tsa", caRenewal("tsa.renewed", ca.renewTsa()));
    }
    if (ca.idTokenSignerExpiresWithin(window)) {
      out.put("idTokenKey", caRenewal("id-token-key.renewed", ca.renewIdTokenSigner()));
    }
    ctx.json(out);
  }

  /** A new key and certificate for the time-stamping authority. */
  private void renewTsa(Context ctx) {
    requireAdmin(ctx);
    ctx.json(caRenewal("tsa.renewed", ca.renewTsa()));
  }

  /**
   * A new key and certificate for the issuing CA (the old generation keeps answering OCSP and
   * publishing its CRL for what it issued).
   */
  private void renewIssuingCa(Context ctx) {
    requireAdmin(ctx);
    Map<String, Object> out = new java.util.LinkedHashMap<>(caRenewal("issuing-ca.renewed", ca.renewIssuingCa()));
    out.put("next", "New certificates come from this generation; move the others with renew-expiring"
        + " --from-old-issuing-ca (the old generation answers for them until they expire)");
    ctx.json(out);
  }

  /** A new root, certified by the old one, and a new issuing CA under it. */
  private void renewRoot(Context ctx) {
    requireAdmin(ctx);
    X509Certificate root = ca.renewRoot();
    X509Certificate issuing = ca.issuing().certificate();
    Map<String, Object> out = new java.util.LinkedHashMap<>(caRenewal("root-ca.renewed", root));
    out.put("issuingCa", caRenewal("issuing-ca.renewed", issuing));
    out.put("next", "Give relying parties the new root (/pki/root/" + root.getSerialNumber().toString(16) + ".cer);"
        + " until they have it, the old root certifies the new one, so their validation still finds a path");
    ctx.json(out);
  }

  /** A new key for signing ID tokens (the old one stays in the JWK set while its certificate is valid). */
  private void renewIdTokenKey(Context ctx) {
    requireAdmin(ctx);
    ctx.json(caRenewal("id-token-key.renewed", ca.renewIdTokenSigner()));
  }

  private Map<String, Object> caRenewal(String event, X509Certificate cert) {
    audit.append(event, "admin", cert.getSerialNumber().toString(16), Map.of("notAfter",
        cert.getNotAfter().toInstant().toString()));
    return Map.of("serialNumber", cert.getSerialNumber().toString(16), "notAfter",
        cert.getNotAfter().toInstant().toString());
  }

  record RenewExpiring(Integer days, Boolean fromOldIssuingCa) {}

  private static Map<String, Object> renewal(String id, X509Certificate cert) {
    return Map.of("credentialID", id, "serialNumber", cert.getSerialNumber().toString(16),
        "notAfter", cert.getNotAfter().toInstant().toString());
  }

  private void enabled(Context ctx, boolean enabled) {
    requireAdmin(ctx);
    accounts.setEnabled("admin", ctx.pathParam("id"), enabled);
    ctx.json(Map.of("userId", ctx.pathParam("id"), "status", enabled ? "active" : "disabled"));
  }

  private void reset(Context ctx) {
    requireAdmin(ctx);
    String userId = ctx.pathParam("id");
    for (Accounts.Credential c : accounts.credentials(userId)) {
      if ("ACTIVE".equals(c.status())) {
        pki.revokeCredential("admin", c.id(), org.bouncycastle.asn1.x509.CRLReason.superseded);
      }
    }
    Accounts.Enrolment e = accounts.reset("admin", userId);
    ctx.json(Map.of("userId", userId, "enrolmentCode", e.code(), "enrolmentUrl", enrolmentUrl(ctx, e)));
  }

  private void auditVerify(Context ctx) {
    requireAdmin(ctx);
    var problems = audit.verify();
    ctx.status(problems.isEmpty() ? 200 : 409).json(Map.of("intact", problems.isEmpty(), "problems",
        problems.stream().map(p -> Map.of("seq", p.seq(), "description", p.description())).toList()));
  }

  /** An online copy of the embedded database in the data directory's backups/; 409 for PostgreSQL. */
  private void backup(Context ctx) {
    requireAdmin(ctx);
    java.nio.file.Path file;
    try {
      file = backup.get();
    } catch (UnsupportedOperationException e) {
      throw new CscException(409, "invalid_request", e.getMessage());
    }
    audit.append("backup.created", "admin", file.getFileName().toString(), Map.of());
    ctx.status(201).json(Map.of("file", file.toString()));
  }

  /** The master key generations, what each still seals, and which node holds which. */
  private void masterKeyStatus(Context ctx) {
    requireAdmin(ctx);
    ctx.json(masterKeys.status());
  }

  /** Adds a generation to this node's key file; the answer says what the operator does next. */
  private void stageMasterKey(Context ctx) {
    requireAdmin(ctx);
    try {
      int generation = masterKeys.stage("admin");
      ctx.status(201).json(Map.of("generation", generation, "state", "staged", "next",
          "Copy master-key.p12 from this node's data directory to every other node (they read it within "
              + MasterKeyRotation.EVERY.toSeconds() + " s), then activate generation " + generation));
    } catch (MasterKeyRotation.Refused e) {
      throw new CscException(409, "invalid_request", e.getMessage());
    }
  }

  private void masterKeyStep(Context ctx, boolean activate) {
    requireAdmin(ctx);
    int generation;
    try {
      generation = Integer.parseInt(ctx.pathParam("generation"));
    } catch (NumberFormatException e) {
      throw CscException.invalidRequest("The generation must be a number");
    }
    try {
      if (activate) {
        masterKeys.activate(generation, "admin");
      } else {
        masterKeys.retire(generation, "admin");
      }
    } catch (MasterKeyRotation.Refused e) {
      throw new CscException(409, "invalid_request", e.getMessage());
    }
    ctx.json(Map.of("generation", generation, "state", activate ? "active" : "retired", "next", activate
        ? "Values sealed by older generations move to this one in the background (GET /admin/master-key shows"
            + " what is left); retire the old generation once nothing is left"
        : "Copy master-key.p12 from this node's data directory to every other node: the generation is gone from"
            + " this node's file only"));
  }

  private void beginEnrolment(Context ctx) {
    Enrol req = JsonBodies.read(ctx, Enrol.class);
    try (Secret password = Secret.of(required(req.password(), "password"))) {
      Accounts.TotpSetup setup = accounts.beginEnrolment(required(req.code(), "code"), password);
      ctx.json(Map.of("otpauthUri", setup.otpauthUri(), "secret", setup.secretBase32()));
    }
  }

  private void completeEnrolment(Context ctx) {
    Enrol req = JsonBodies.read(ctx, Enrol.class);
    KeySpec spec = req.keyType() == null ? KeySpec.EC_P256 : KeySpec.parse(req.keyType());
    try (Secret password = Secret.of(required(req.password(), "password"))) {
      Accounts.Credential c = accounts.completeEnrolment(required(req.code(), "code"), password,
          required(req.otp(), "otp"), spec);
      ctx.status(201).json(Map.of("credentialID", c.id()));
    } catch (AuthenticationException e) {
      throw CscException.invalidRequest(e.getMessage());
    }
  }

  private void requireAdmin(Context ctx) {
    requireAdmin(ctx, adminToken);
  }

  static void requireAdmin(Context ctx, Secret adminToken) {
    String header = ctx.header("Authorization");
    byte[] given = header != null && header.startsWith("Bearer ")
        ? header.substring(7).trim().getBytes(java.nio.charset.StandardCharsets.UTF_8) : new byte[0];
    if (given.length == 0 || !MessageDigest.isEqual(given, adminToken.utf8())) {
      throw CscException.unauthorized("Administrator authentication required");
    }
  }

  private static String required(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw CscException.invalidRequest("Missing parameter " + name);
    }
    return value;
  }
}
