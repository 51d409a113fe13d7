package org.opendsm.server.internal.pki;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.jdbi.v3.core.Jdbi;
import org.opendsm.internal.DigestSignatures;
import org.opendsm.server.internal.audit.AuditTrail;
import org.opendsm.server.internal.store.Sequences;

/**
 * Revocation and time services of the built-in CA, all on Bouncy Castle: an OCSP responder
 * (RFC 6960; responses signed by the issuing CA itself), CRLs made fresh on each request (a
 * revocation shows at once), and an RFC 3161 TSA whose serial numbers come from a shared database
 * sequence (unique and increasing across nodes and restarts).
 */
public final class PkiServices {
  public static final String TSA_POLICY = "1.3.6.1.4.1.55555.2.1";
  private final Jdbi jdbi;
  private final CertificateAuthority ca;
  private final AuditTrail audit;
  private final Clock clock;

  public PkiServices(Jdbi jdbi, CertificateAuthority ca, AuditTrail audit, Clock clock) {
    this.jdbi = jdbi;
    this.ca = ca;
    this.audit = audit;
    this.clock = clock;
  }

  /** Revokes a certificate issued by the issuing CA; OCSP and the next CRL show it at once. */
  public void revoke(String actor, BigInteger serial, int reason) {
    jdbi.useTransaction(h -> {
      boolean already = h.createQuery("SELECT COUNT(*) FROM revocations WHERE serial = :s")
          .bind("s", serial.toString(16)).mapTo(Integer.class).one() > 0;
      if (!already) {
        insertRevocation(h, serial.toString(16), reason);
      }
      h.createUpdate("UPDATE credentials SET status = 'REVOKED' WHERE id IN"
          + " (SELECT credential_id FROM credential_certificates WHERE serial = :s)").bind("s", serial.toString(16))
          .execute();
      audit.append(h, "certificate.revoked", actor, serial.toString(16), Map.of("reason", reason));
    });
  }

  private void insertRevocation(org.jdbi.v3.core.Handle h, String serialHex, int reason) {
    h.createUpdate("INSERT INTO revocations (serial, revoked_at, reason) VALUES (:s, :at, :r)")
        .bind("s", serialHex).bind("at", clock.millis()).bind("r", reason).execute();
  }

  /**
   * Revokes every certificate the credential has had, and the credential, in one transaction
   * that holds the credential's row: a renewal running at the same time either comes first (and
   * its certificate is revoked too) or finds the credential revoked and refuses.
   *
   * @return the number of certificates newly revoked
   */
  public int revokeCredential(String actor, String credentialId, int reason) {
    return jdbi.inTransaction(h -> {
      h.createQuery("SELECT id FROM credentials WHERE id = :id FOR UPDATE").bind("id", credentialId)
          .mapTo(String.class).findOne()
          .orElseThrow(() -> new IllegalArgumentException("Unknown credential " + credentialId));
      List<String> serials = h.createQuery("SELECT serial FROM credential_certificates WHERE credential_id = :id"
          + " AND serial NOT IN (SELECT serial FROM revocations)").bind("id", credentialId).mapTo(String.class).list();
      for (String serial : serials) {
        insertRevocation(h, serial, reason);
        audit.append(h, "certificate.revoked", actor, serial, Map.of("reason", reason, "credential", credentialId));
      }
      h.createUpdate("UPDATE credentials SET status = 'REVOKED' WHERE id = :id").bind("id", credentialId).execute();
      return serials.size();
    });
  }

  /**
   * The responder's answer, signed by the issuing CA generation the request names (the first
   * request's issuer); a certificate of another generation in the same request is "unknown".
   */
  public byte[] ocsp(byte[] request) throws Exception {
    OCSPReq req = new OCSPReq(request);
    var digests = new JcaDigestCalculatorProviderBuilder().build();
    CertificateAuthority.Issuer issuer = ca.issuing();
    if (req.getRequestList().length > 0) {
      var first = req.getRequestList()[0].getCertID();
      for (CertificateAuthority.Issuer generation : ca.issuingCas()) {
        if (first.matchesIssuer(new JcaX509CertificateHolder(generation.certificate()), digests)) {
          issuer = generation;
          break;
        }
      }
      if (!first.matchesIssuer(new JcaX509CertificateHolder(issuer.certificate()), digests)) {
        // Perhaps a generation another node made minutes ago: look for it in the database.
        var renewed = ca.issuingCaMatching(id -> {
          try {
            return first.matchesIssuer(new JcaX509CertificateHolder(id.certificate()), digests);
          } catch (Exception e) {
            return false;
          }
        });
        if (renewed.isPresent()) {
          issuer = renewed.get();
        }
      }
    }
    X509CertificateHolder issuerHolder = new JcaX509CertificateHolder(issuer.certificate());
    BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(issuerHolder.getSubject()));
    Instant now = clock.instant();
    for (Req r : req.getRequestList()) {
      var id = r.getCertID();
      CertificateStatus status;
      if (!id.matchesIssuer(issuerHolder, digests) || !issued(id.getSerialNumber(), issuer)) {
        status = new UnknownStatus();
      } else {
        long[] revoked = revocation(id.getSerialNumber());
        status = revoked == null ? CertificateStatus.GOOD
            : new RevokedStatus(new Date(revoked[0]), (int) revoked[1]);
      }
      builder.addResponse(id, status, Date.from(now), Date.from(now.plus(Duration.ofHours(1))), null);
    }
    Extension nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
    if (nonce != null) {
      builder.setResponseExtensions(new Extensions(nonce));
    }
    var signer = new JcaContentSignerBuilder(CertificateAuthority.signatureAlgorithm(issuer.key()))
        .setProvider(DigestSignatures.bouncyCastle()).build(issuer.key());
    var basic = builder.build(signer, new X509CertificateHolder[] {issuerHolder}, Date.from(now));
    return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
  }

  /**
   * The CRL of the root generation with this certificate serial (hex): the CA certificates it
   * revoked (none: this CA does not revoke its own CAs). Empty if there is no such generation.
   */
  public java.util.Optional<byte[]> rootCrl(String serialHex) throws Exception {
    var generation = ca.rootGeneration(serialHex);
    return generation.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(crl(generation.get(), false));
  }

  /**
   * The CRL of the issuing CA generation with this certificate serial (hex): the certificates it
   * issued that are revoked. Empty if this CA has no such generation.
   */
  public java.util.Optional<byte[]> issuingCaCrl(String serialHex) throws Exception {
    var generation = ca.issuingCa(serialHex);
    return generation.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(crl(generation.get(), true));
  }

  private byte[] crl(CertificateAuthority.Issuer issuer, boolean endEntities) throws Exception {
    Instant now = clock.instant();
    X509v2CRLBuilder b = new X509v2CRLBuilder(
        X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()), Date.from(now));
    b.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
    if (endEntities) {
      jdbi.useHandle(h -> h.createQuery("SELECT r.serial, r.revoked_at, r.reason FROM revocations r"
              + " JOIN credential_certificates c ON c.serial = r.serial WHERE c.issuer = :issuer")
          .bind("issuer", issuer.certificate().getSerialNumber().toString(16)).mapToMap().forEach(r ->
          b.addCRLEntry(new BigInteger((String) r.get("serial"), 16), new Date(((Number) r.get("revoked_at")).longValue()),
              ((Number) r.get("reason")).intValue())));
    }
    b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
    b.addExtension(Extension.authorityKeyIdentifier, false,
        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.certificate()));
    return b.build(new JcaContentSignerBuilder(CertificateAuthority.signatureAlgorithm(issuer.key())).build(issuer.key()))
        .getEncoded();
  }

  /** An RFC 3161 timestamp response to a DER query. */
  public byte[] timestamp(byte[] query) throws Exception {
    TimeStampRequest request = new TimeStampRequest(query);
    CertificateAuthority.Issuer tsa = ca.tsa();
    List<X509Certificate> chain = new java.util.ArrayList<>(List.of(tsa.certificate()));
    chain.addAll(ca.chainFor(tsa.certificate()));
    var signerInfo = new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(DigestSignatures.bouncyCastle())
            .build(tsa.key()), tsa.certificate());
    TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(signerInfo,
        new JcaDigestCalculatorProviderBuilder().build().get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
        new ASN1ObjectIdentifier(TSA_POLICY));
    tokens.addCertificates(new JcaCertStore(chain));
    tokens.setAccuracySeconds(1);
    TimeStampResponseGenerator generator = new TimeStampResponseGenerator(tokens,
        Set.of(TSPAlgorithms.SHA256, TSPAlgorithms.SHA384, TSPAlgorithms.SHA512));
    long serial = nextTimestampSerial();
    return generator.generate(request, BigInteger.valueOf(serial), Date.from(clock.instant())).getEncoded();
  }

  private static final int SERIAL_BLOCK = 256;
  private long serialNext;
  private long serialEnd;

  /** Timestamp serials come from blocks reserved in the database: no transaction per token. */
  private synchronized long nextTimestampSerial() {
    if (serialNext == serialEnd) {
      serialNext = jdbi.inTransaction(h -> Sequences.reserve(h, "tsa-serial", SERIAL_BLOCK));
      serialEnd = serialNext + SERIAL_BLOCK;
    }
    return serialNext++;
  }

  /** Whether {@code issuer} (one generation of the issuing CA) issued the certificate with this serial. */
  private boolean issued(BigInteger serial, CertificateAuthority.Issuer issuer) {
    String hex = serial.toString(16);
    String issuerSerial = issuer.certificate().getSerialNumber().toString(16);
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM credential_certificates WHERE serial = :s"
            + " AND issuer = :i").bind("s", hex).bind("i", issuerSerial).mapTo(Integer.class).one() > 0)
        || ca.tsaCertificates().stream().anyMatch(c -> c.getSerialNumber().equals(serial)
            && ca.issuerOf(c).map(i -> i.certificate().equals(issuer.certificate())).orElse(false));
  }

  /** {revoked_at, reason} or null. */
  private long[] revocation(BigInteger serial) {
    return jdbi.withHandle(h -> h.createQuery("SELECT revoked_at, reason FROM revocations WHERE serial = :s")
        .bind("s", serial.toString(16)).map((rs, ctx) -> new long[] {rs.getLong("revoked_at"), rs.getInt("reason")})
        .findOne().orElse(null));
  }
}
