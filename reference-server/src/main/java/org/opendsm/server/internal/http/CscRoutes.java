package org.opendsm.server.internal.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.security.cert.X509Certificate;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.internal.Dss;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.accounts.AuthenticationException;
import org.opendsm.server.internal.clients.Clients;
import org.opendsm.server.internal.pki.CertificateAuthority;
import org.opendsm.server.internal.signing.SigningService;

/**
 * The CSC API v2 methods this server implements: info, credentials/list, credentials/info,
 * credentials/authorize (explicit mode: signing password + TOTP) and signatures/signHash.
 * Service authorisation is an OAuth2 client-credentials token; the user is named by
 * {@code userID} (list) or follows from the credential.
 */
final class CscRoutes {
  static final int MULTISIGN = 100;
  private final Accounts accounts;
  private final Clients clients;
  private final SigningService signing;
  private final CertificateAuthority ca;
  private final org.opendsm.server.internal.pki.PkiServices pki;

  CscRoutes(Accounts accounts, Clients clients, SigningService signing, CertificateAuthority ca,
      org.opendsm.server.internal.pki.PkiServices pki) {
    this.accounts = accounts;
    this.clients = clients;
    this.signing = signing;
    this.ca = ca;
    this.pki = pki;
  }

  void register(JavalinConfig config) {
    config.routes.post("/csc/v2/info", this::info);
    config.routes.post("/csc/v2/credentials/list", this::list);
    config.routes.post("/csc/v2/credentials/info", this::credentialInfo);
    config.routes.post("/csc/v2/credentials/authorize", this::authorize);
    config.routes.post("/csc/v2/credentials/extendTransaction", this::extendTransaction);
    config.routes.post("/csc/v2/signatures/signHash", this::signHash);
    config.routes.post("/csc/v2/signatures/timestamp", this::timestamp);
  }

  private void extendTransaction(Context ctx) {
    Clients.Principal principal = bearer(ctx);
    org.opendsm.protocol.ExtendTransactionRequest req = ctx.bodyAsClass(org.opendsm.protocol.ExtendTransactionRequest.class);
    Accounts.Credential c = credential(principal, req.credentialID());
    if (req.sad() == null) {
      throw CscException.invalidRequest("Missing (or invalid type) string parameter SAD");
    }
    SigningService.Authorization auth = signing.extend(principal.clientId(), c.userId(), c.id(), req.sad(),
        Algorithms.digest(req.hashAlgorithmOID()), decode(req.hashes()));
    ctx.json(Map.of("SAD", auth.sad(), "expiresIn",
        Math.max(0, java.time.Duration.between(java.time.Instant.now(), auth.expiresAt()).toSeconds())));
  }

  private void timestamp(Context ctx) throws Exception {
    bearer(ctx);
    org.opendsm.protocol.TimestampRequest req = ctx.bodyAsClass(org.opendsm.protocol.TimestampRequest.class);
    DigestAlgorithm algorithm = Algorithms.digest(req.hashAlgorithmOID());
    byte[] hash = decode(req.hash() == null ? null : List.of(req.hash())).get(0);
    if (hash.length != algorithm.length()) {
      throw CscException.invalidRequest("Invalid digest value length");
    }
    var generator = new org.bouncycastle.tsp.TimeStampRequestGenerator();
    generator.setCertReq(true);
    java.math.BigInteger nonce = req.nonce() == null ? null : new java.math.BigInteger(req.nonce(), 16);
    var query = nonce == null
        ? generator.generate(new org.bouncycastle.asn1.ASN1ObjectIdentifier(algorithm.oid()), hash)
        : generator.generate(new org.bouncycastle.asn1.ASN1ObjectIdentifier(algorithm.oid()), hash, nonce);
    var reply = new org.bouncycastle.tsp.TimeStampResponse(pki.timestamp(query.getEncoded()));
    ctx.json(Map.of("timestamp", Base64.getEncoder().encodeToString(reply.getTimeStampToken().getEncoded())));
  }

  private void info(Context ctx) {
    if (!ctx.body().isBlank()) {
      ctx.bodyAsClass(org.opendsm.protocol.InfoRequest.class);
    }
    // The API's own base, as the client reached it (the PKI URL in certificates is plain HTTP).
    String baseUrl = "https://" + ctx.host();
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("specs", "2.0.0.2");
    info.put("name", "OpenDSM reference signing server");
    info.put("logo", baseUrl + "/logo.png");
    info.put("region", "LU");
    info.put("lang", "en-US");
    info.put("description", "Central signing service: keys in a vault, unlocked by password + TOTP");
    info.put("authType", List.of("oauth2code", "oauth2client"));
    info.put("oauth2", baseUrl);
    info.put("methods", List.of("oauth2/authorize", "oauth2/token", "oauth2/revoke", "credentials/list", "credentials/info",
        "credentials/authorize", "credentials/extendTransaction", "signatures/signHash", "signatures/timestamp"));
    info.put("signAlgorithms", Map.of("algos", Algorithms.all()));
    info.put("signature_formats", Map.of("formats", List.of("C", "X", "P")));
    ctx.json(info);
  }

  private void list(Context ctx) {
    Clients.Principal principal = bearer(ctx);
    org.opendsm.protocol.CredentialsListRequest req = ctx.bodyAsClass(org.opendsm.protocol.CredentialsListRequest.class);
    String userId = principal.userId() != null ? principal.userId() : req.userID();
    if (userId == null) {
      throw CscException.invalidRequest("Missing (or invalid type) string parameter userID");
    }
    // A client-only token sees only users who chose explicit mode (their ASP drives the signing);
    // anyone else, known or not, has no credential it can see.
    List<Accounts.Credential> credentials = principal.userId() == null && !explicitUser(userId)
        ? List.of() : accounts.credentials(userId);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("credentialIDs", credentials.stream().map(Accounts.Credential::id).toList());
    if (Boolean.TRUE.equals(req.credentialInfo())) {
      List<Object> infos = new ArrayList<>();
      credentials.forEach(c -> infos.add(describe(c, req.certificates(), req.certInfo(), req.authInfo())));
      out.put("credentialInfos", infos);
    }
    ctx.json(out);
  }

  private void credentialInfo(Context ctx) {
    Clients.Principal principal = bearer(ctx);
    org.opendsm.protocol.CredentialsInfoRequest req = ctx.bodyAsClass(org.opendsm.protocol.CredentialsInfoRequest.class);
    Accounts.Credential c = credential(principal, req.credentialID());
    ctx.json(describe(c, req.certificates(), req.certInfo(), req.authInfo()));
  }

  private void authorize(Context ctx) {
    Clients.Principal principal = bearer(ctx);
    org.opendsm.protocol.AuthorizeRequest req = ctx.bodyAsClass(org.opendsm.protocol.AuthorizeRequest.class);
    Accounts.Credential c = credential(principal, req.credentialID());
    if (accounts.authMode(c.userId()) != Accounts.AuthMode.EXPLICIT) {
      throw CscException.invalidRequest("credentials/authorize is not available for this credential: its"
          + " authorization mode is oauth2code (use oauth2/authorize with scope=credential)");
    }
    DigestAlgorithm algorithm = Algorithms.digest(req.hashAlgorithmOID());
    List<byte[]> digests = decode(req.hashes());
    int numSignatures = req.numSignatures() == null ? digests.size() : req.numSignatures();
    if (numSignatures != digests.size()) {
      throw CscException.invalidRequest("Invalid parameter numSignatures: SCAL 2 authorises exactly the hashes given");
    }
    try (Secret password = factor(req.authData(), "PIN"); Secret otp = factor(req.authData(), "OTP")) {
      SigningService.Authorization auth = signing.authorize(principal.clientId(), c.userId(), c.id(), password,
          otp.reveal(), algorithm, digests);
      ctx.json(Map.of("SAD", auth.sad(), "expiresIn", SigningService.SAD_LIFETIME.toSeconds()));
    } catch (AuthenticationException e) {
      throw new CscException(400, e.isLocked() ? "access_denied" : "invalid_request", e.getMessage());
    }
  }

  private void signHash(Context ctx) {
    Clients.Principal principal = bearer(ctx);
    org.opendsm.protocol.SignHashRequest req = ctx.bodyAsClass(org.opendsm.protocol.SignHashRequest.class);
    Accounts.Credential c = credential(principal, req.credentialID());
    // A credential-scope access token (OAuth2 code flow) is the SAD itself.
    String sad = req.sad() != null ? req.sad() : "credential".equals(principal.scope()) ? bearerToken(ctx) : null;
    if (sad == null) {
      throw CscException.invalidRequest("Missing (or invalid type) string parameter SAD");
    }
    SignatureAlgorithm algorithm = Algorithms.signature(req.signAlgo(), req.hashAlgorithmOID(), req.signAlgoParams());
    if (req.hashAlgorithmOID() != null && Algorithms.digest(req.hashAlgorithmOID()) != algorithm.digestAlgorithm()) {
      throw CscException.invalidRequest("Invalid parameter hashAlgorithmOID: it contradicts signAlgo");
    }
    List<byte[]> values = signing.signHash(principal.clientId(), c.userId(), c.id(), sad, algorithm,
        decode(req.hashes()));
    ctx.json(Map.of("signatures", values.stream().map(v -> Base64.getEncoder().encodeToString(v)).toList()));
  }

  private Map<String, Object> describe(Accounts.Credential c, String certificates, Boolean certInfo, Boolean authInfo) {
    X509Certificate cert = c.certificate();
    Map<String, Object> key = Map.of("status", "enabled", "algo", Algorithms.forKey(c.spec()), "len", c.spec().bits());
    Map<String, Object> certOut = new LinkedHashMap<>();
    certOut.put("status", "ACTIVE".equals(c.status()) ? "valid" : "revoked");
    String mode = certificates == null ? "single" : certificates;
    List<X509Certificate> chain = new ArrayList<>(List.of(cert));
    if ("chain".equals(mode)) {
      chain.addAll(ca.caChain());
    }
    if (!"none".equals(mode)) {
      certOut.put("certificates", chain.stream().map(x -> Base64.getEncoder().encodeToString(Dss.encoded(x))).toList());
    }
    if (Boolean.TRUE.equals(certInfo)) {
      certOut.put("issuerDN", cert.getIssuerX500Principal().getName());
      certOut.put("serialNumber", cert.getSerialNumber().toString(16));
      certOut.put("subjectDN", cert.getSubjectX500Principal().getName());
      certOut.put("validFrom", generalized(cert.getNotBefore()));
      certOut.put("validTo", generalized(cert.getNotAfter()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("credentialID", c.id());
    out.put("description", "Signing key of " + c.userId());
    out.put("signatureQualifier", "eu_eidas_aes");
    out.put("key", key);
    out.put("cert", certOut);
    out.put("auth", accounts.authMode(c.userId()) == Accounts.AuthMode.EXPLICIT
        ? Map.of("mode", "explicit", "objects", List.of(
            Map.of("type", "Password", "id", "PIN", "format", "A", "label", "Signing password"),
            Map.of("type", "Password", "id", "OTP", "format", "N", "generator", "totp", "label", "One-time code")))
        : Map.of("mode", "oauth2code", "objects", List.of()));
    out.put("SCAL", "2");
    out.put("multisign", MULTISIGN);
    out.put("lang", "en-US");
    return out;
  }

  /**
   * The credential, if the token may see it: a user-bound token only that user's, a credential
   * token only its own. Unknown and foreign ids get the same answer.
   */
  private Accounts.Credential credential(Clients.Principal principal, String credentialId) {
    if (credentialId == null) {
      throw CscException.invalidRequest("Missing (or invalid type) string parameter credentialID");
    }
    return accounts.ownerOf(credentialId)
        .filter(owner -> principal.userId() == null ? explicitUser(owner) || principal.credentialId() != null
            : principal.userId().equals(owner))
        .filter(owner -> principal.credentialId() == null || principal.credentialId().equals(credentialId))
        .flatMap(owner -> accounts.credential(owner, credentialId))
        .orElseThrow(() -> CscException.invalidRequest("Invalid parameter credentialID"));
  }

  /** A service token, or a live SAD given as a credential-scope token. */
  private boolean explicitUser(String userId) {
    return accounts.isActive(userId) && accounts.authMode(userId) == Accounts.AuthMode.EXPLICIT;
  }

  private Clients.Principal bearer(Context ctx) {
    String token = bearerToken(ctx);
    return clients.resolve(token)
        .or(() -> signing.holder(token).map(h -> new Clients.Principal(h.clientId(), h.userId(), "credential",
            h.credentialId())))
        .orElseThrow(() -> CscException.unauthorized("The access token is invalid or expired"));
  }

  private static String bearerToken(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw CscException.unauthorized("Missing or invalid Authorization header");
    }
    return header.substring(7).trim();
  }

  private static Secret factor(List<org.opendsm.protocol.AuthData> authData, String id) {
    if (authData != null) {
      for (org.opendsm.protocol.AuthData a : authData) {
        if (a != null && id.equalsIgnoreCase(a.id()) && a.value() != null) {
          return Secret.of(a.value());
        }
      }
    }
    throw CscException.invalidRequest("Missing authData object " + id);
  }

  private static List<byte[]> decode(List<String> hashes) {
    if (hashes == null || hashes.isEmpty() || hashes.size() > MULTISIGN) {
      throw CscException.invalidRequest("Missing (or invalid type) array parameter hashes");
    }
    List<byte[]> out = new ArrayList<>();
    for (String h : hashes) {
      try {
        out.add(Base64.getDecoder().decode(h == null ? "" : h));
      } catch (IllegalArgumentException e) {
        throw CscException.invalidRequest("Invalid parameter hashes: not base64");
      }
    }
    return out;
  }

  private static String generalized(java.util.Date d) {
    SimpleDateFormat f = new SimpleDateFormat("yyyyMMddHHmmss'Z'");
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    return f.format(d);
  }
}
