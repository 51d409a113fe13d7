package org.opendsm.server.internal.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.security.cert.X509Certificate;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.TimeZone;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Secret;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.internal.Dss;
import org.opendsm.protocol.AuthData;
import org.opendsm.protocol.AuthorizeRequest;
import org.opendsm.protocol.AuthorizeResponse;
import org.opendsm.protocol.CredentialInfo;
import org.opendsm.protocol.CredentialsInfoRequest;
import org.opendsm.protocol.CredentialsListRequest;
import org.opendsm.protocol.CredentialsListResponse;
import org.opendsm.protocol.ExtendTransactionRequest;
import org.opendsm.protocol.InfoRequest;
import org.opendsm.protocol.InfoResponse;
import org.opendsm.protocol.SignHashRequest;
import org.opendsm.protocol.SignHashResponse;
import org.opendsm.protocol.TimestampRequest;
import org.opendsm.protocol.TimestampResponse;
import org.opendsm.server.internal.accounts.Accounts;
import org.opendsm.server.internal.accounts.AuthenticationException;
import org.opendsm.server.internal.clients.Clients;
import org.opendsm.server.internal.pki.CertificateAuthority;
import org.opendsm.server.internal.pki.PkiServices;
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
  private final PkiServices pki;

  CscRoutes(Accounts accounts, Clients clients, SigningService signing, CertificateAuthority ca, PkiServices pki) {
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
    ExtendTransactionRequest req = JsonBodies.read(ctx, ExtendTransactionRequest.class);
    Accounts.Credential c = credential(principal, req.credentialID()).credential();
    if (req.sad() == null) {
      throw CscException.invalidRequest("Missing (or invalid type) string parameter SAD");
    }
    SigningService.Authorization auth = signing.extend(principal.clientId(), c.userId(), c.id(), req.sad(),
        Algorithms.digest(req.hashAlgorithmOID()), decode(req.hashes()));
    ctx.json(new AuthorizeResponse(auth.sad(), Math.max(0, Duration.between(Instant.now(), auth.expiresAt()).toSeconds())));
  }

  private void timestamp(Context ctx) throws Exception {
    bearer(ctx);
    TimestampRequest req = JsonBodies.read(ctx, TimestampRequest.class);
    DigestAlgorithm algorithm = Algorithms.digest(req.hashAlgorithmOID());
    byte[] hash = decode(req.hash() == null ? null : List.of(req.hash())).get(0);
    if (hash.length != algorithm.length()) {
      throw CscException.invalidRequest("Invalid digest value length");
    }
    TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
    generator.setCertReq(true);
    ASN1ObjectIdentifier oid = new ASN1ObjectIdentifier(algorithm.oid());
    var query = req.nonce() == null ? generator.generate(oid, hash)
        : generator.generate(oid, hash, nonce(req.nonce()));
    TimeStampResponse reply = new TimeStampResponse(pki.timestamp(query.getEncoded()));
    ctx.json(new TimestampResponse(Base64.getEncoder().encodeToString(reply.getTimeStampToken().getEncoded())));
  }

  private void info(Context ctx) {
    if (!ctx.body().isBlank()) {
      JsonBodies.read(ctx, InfoRequest.class);
    }
    // The API's own base, as the client reached it (the PKI URL in certificates is plain HTTP).
    String baseUrl = "https://" + ctx.host();
    ctx.json(new InfoResponse("2.0.0.2", "OpenDSM reference signing server", baseUrl + "/logo.png", "LU", "en-US",
        "Central signing service: keys in a vault, unlocked by password + TOTP",
        List.of("oauth2code", "oauth2client"), baseUrl,
        List.of("oauth2/authorize", "oauth2/token", "oauth2/revoke", "credentials/list", "credentials/info",
            "credentials/authorize", "credentials/extendTransaction", "signatures/signHash", "signatures/timestamp"),
        new InfoResponse.SignAlgorithms(Algorithms.all()), new InfoResponse.SignatureFormats(List.of("C", "X", "P"))));
  }

  private void list(Context ctx) {
    Clients.Principal principal = bearer(ctx);
    CredentialsListRequest req = JsonBodies.read(ctx, CredentialsListRequest.class);
    String userId = principal.userId() != null ? principal.userId() : req.userID();
    if (userId == null) {
      throw CscException.invalidRequest("Missing (or invalid type) string parameter userID");
    }
    // A client-only token sees only users who chose explicit mode (their ASP drives the signing);
    // anyone else, known or not, has no credential it can see.
    List<Accounts.Credential> credentials = principal.userId() == null && !explicitUser(userId)
        ? List.of() : accounts.credentials(userId);
    List<CredentialInfo> infos = Boolean.TRUE.equals(req.credentialInfo())
        ? credentials.stream().map(c -> describe(c, accounts.authMode(userId), req.certificates(), req.certInfo()))
            .toList() : null;
    ctx.json(new CredentialsListResponse(credentials.stream().map(Accounts.Credential::id).toList(), infos));
  }

  private void credentialInfo(Context ctx) {
    Clients.Principal principal = bearer(ctx);
    CredentialsInfoRequest req = JsonBodies.read(ctx, CredentialsInfoRequest.class);
    Accounts.OwnedCredential c = credential(principal, req.credentialID());
    ctx.json(describe(c.credential(), c.authMode(), req.certificates(), req.certInfo()));
  }

  private void authorize(Context ctx) {
    Clients.Principal principal = bearer(ctx);
    AuthorizeRequest req = JsonBodies.read(ctx, AuthorizeRequest.class);
    Accounts.OwnedCredential owned = credential(principal, req.credentialID());
    Accounts.Credential c = owned.credential();
    if (owned.authMode() != Accounts.AuthMode.EXPLICIT) {
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
      ctx.json(new AuthorizeResponse(auth.sad(), SigningService.SAD_LIFETIME.toSeconds()));
    } catch (AuthenticationException e) {
      throw new CscException(400, e.isLocked() ? "access_denied" : "invalid_request", e.getMessage());
    }
  }

  private void signHash(Context ctx) {
    Clients.Principal principal = bearer(ctx);
    SignHashRequest req = JsonBodies.read(ctx, SignHashRequest.class);
    Accounts.Credential c = credential(principal, req.credentialID()).credential();
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
    ctx.json(new SignHashResponse(values.stream().map(v -> Base64.getEncoder().encodeToString(v)).toList()));
  }

  /** The CSC view of a credential; {@code certificates} is single (default), chain or none. */
  private CredentialInfo describe(Accounts.Credential c, Accounts.AuthMode authMode, String certificates,
      Boolean certInfo) {
    X509Certificate cert = c.certificate();
    String mode = certificates == null ? "single" : certificates;
    List<X509Certificate> chain = new ArrayList<>(List.of(cert));
    if ("chain".equals(mode)) {
      chain.addAll(ca.chainFor(cert));
    }
    List<String> encoded = "none".equals(mode) ? null
        : chain.stream().map(x -> Base64.getEncoder().encodeToString(Dss.encoded(x))).toList();
    boolean details = Boolean.TRUE.equals(certInfo);
    CredentialInfo.Cert certOut = new CredentialInfo.Cert("ACTIVE".equals(c.status()) ? "valid" : "revoked", encoded,
        details ? cert.getIssuerX500Principal().getName() : null, details ? cert.getSerialNumber().toString(16) : null,
        details ? cert.getSubjectX500Principal().getName() : null, details ? generalized(cert.getNotBefore()) : null,
        details ? generalized(cert.getNotAfter()) : null);
    CredentialInfo.Auth auth = authMode == Accounts.AuthMode.EXPLICIT
        ? new CredentialInfo.Auth("explicit", List.of(
            new CredentialInfo.AuthObject("Password", "PIN", "A", null, "Signing password"),
            new CredentialInfo.AuthObject("Password", "OTP", "N", "totp", "One-time code")))
        : new CredentialInfo.Auth("oauth2code", List.of());
    return new CredentialInfo(c.id(), "Signing key of " + c.userId(), "eu_eidas_aes",
        new CredentialInfo.Key("enabled", Algorithms.forKey(c.spec()), c.spec().bits()), certOut, auth, "2",
        MULTISIGN, "en-US");
  }

  /**
   * The credential, if the token may see it: a user-bound token only that user's, a credential
   * token only its own, a service token only those of users who chose explicit mode. Unknown and
   * foreign ids get the same answer.
   */
  private Accounts.OwnedCredential credential(Clients.Principal principal, String credentialId) {
    if (credentialId == null) {
      throw CscException.invalidRequest("Missing (or invalid type) string parameter credentialID");
    }
    return accounts.credentialById(credentialId)
        .filter(c -> principal.userId() == null
            ? principal.credentialId() != null || c.ownerActive() && c.authMode() == Accounts.AuthMode.EXPLICIT
            : principal.userId().equals(c.credential().userId()))
        .filter(c -> principal.credentialId() == null || principal.credentialId().equals(credentialId))
        .orElseThrow(() -> CscException.invalidRequest("Invalid parameter credentialID"));
  }

  /** A service token, or a live SAD given as a credential-scope token. */
  private boolean explicitUser(String userId) {
    return accounts.isActive(userId) && accounts.authMode(userId) == Accounts.AuthMode.EXPLICIT;
  }

  private Clients.Principal bearer(Context ctx) {
    String token = bearerToken(ctx);
    // Only service-scope tokens and SADs speak to the CSC API; an OpenID Connect login's token
    // does only if the login asked for "service" too.
    return clients.resolve(token).filter(p -> List.of(p.scope().split(" ")).contains("service"))
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

  private static Secret factor(List<AuthData> authData, String id) {
    if (authData != null) {
      for (AuthData a : authData) {
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

  private static BigInteger nonce(String hex) {
    try {
      return new BigInteger(hex, 16);
    } catch (NumberFormatException e) {
      throw CscException.invalidRequest("Invalid parameter nonce: not hexadecimal");
    }
  }

  private static String generalized(java.util.Date d) {
    SimpleDateFormat f = new SimpleDateFormat("yyyyMMddHHmmss'Z'");
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    return f.format(d);
  }
}
