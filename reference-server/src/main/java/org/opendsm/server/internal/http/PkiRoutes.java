package org.opendsm.server.internal.http;

import io.javalin.config.JavalinConfig;
import org.opendsm.server.internal.pki.PkiServices;

/**
 * OCSP (POST), CRLs and CA certificates (GET) and the RFC 3161 TSA (POST) over HTTP, as
 * certificates point to them. Each generation of the issuing CA has its CRL and certificate under
 * {@code /pki/ca/SERIAL.crl} and {@code .cer}; {@code /pki/ca.crl} and {@code /pki/ca.cer}, named
 * by certificates issued before the issuing CA could be renewed, stay with the first generation.
 */
final class PkiRoutes {
  private final PkiServices pki;
  private final org.opendsm.server.internal.pki.CertificateAuthority ca;

  PkiRoutes(PkiServices pki, org.opendsm.server.internal.pki.CertificateAuthority ca) {
    this.pki = pki;
    this.ca = ca;
  }

  void register(JavalinConfig config) {
    config.routes.post("/pki/ocsp", ctx -> ctx.contentType("application/ocsp-response")
        .result(binary(() -> ocsp(ctx.bodyAsBytes()))));
    config.routes.post("/pki/tsa", ctx -> ctx.contentType("application/timestamp-reply")
        .result(binary(() -> pki.timestamp(ctx.bodyAsBytes()))));
    config.routes.get("/pki/root.crl", ctx -> ctx.contentType("application/pkix-crl").result(pki.rootCrl()));
    config.routes.get("/pki/root.cer", ctx -> ctx.contentType("application/pkix-cert")
        .result(org.opendsm.internal.Dss.encoded(ca.root().certificate())));
    config.routes.get("/pki/ca.crl", ctx -> ctx.contentType("application/pkix-crl")
        .result(pki.issuingCaCrl(firstSerial()).orElseThrow()));
    config.routes.get("/pki/ca.cer", ctx -> ctx.contentType("application/pkix-cert")
        .result(org.opendsm.internal.Dss.encoded(ca.firstIssuingCa().certificate())));
    config.routes.get("/pki/ca/{file}", ctx -> {
      String file = ctx.pathParam("file");
      int dot = file.lastIndexOf('.');
      String serial = dot < 0 ? "" : file.substring(0, dot).toLowerCase(java.util.Locale.ROOT);
      String kind = dot < 0 ? "" : file.substring(dot + 1);
      var generation = serial.matches("[0-9a-f]{1,40}") ? ca.issuingCa(serial) : java.util.Optional.<
          org.opendsm.server.internal.pki.CertificateAuthority.Issuer>empty();
      if (generation.isEmpty() || !(kind.equals("crl") || kind.equals("cer"))) {
        throw new io.javalin.http.NotFoundResponse("No issuing CA certificate or CRL " + file);
      }
      if (kind.equals("crl")) {
        ctx.contentType("application/pkix-crl").result(pki.issuingCaCrl(serial).orElseThrow());
      } else {
        ctx.contentType("application/pkix-cert").result(org.opendsm.internal.Dss.encoded(generation.get().certificate()));
      }
    });
  }

  /**
   * The responder's answer; while the database is unreachable, the "tryLater" status of RFC 6960
   * (unsigned, as the RFC has it), which relying parties understand, rather than an HTTP error.
   */
  private byte[] ocsp(byte[] request) throws Exception {
    try {
      return pki.ocsp(request);
    } catch (RuntimeException e) {
      if (!org.opendsm.server.internal.store.Database.unavailable(e)) {
        throw e;
      }
      return new org.bouncycastle.cert.ocsp.OCSPRespBuilder()
          .build(org.bouncycastle.cert.ocsp.OCSPRespBuilder.TRY_LATER, null).getEncoded();
    }
  }

  private interface Producer {
    byte[] produce() throws Exception;
  }

  /** A request that is not DER of the expected kind is the client's fault: 400, not 500. */
  private static byte[] binary(Producer p) throws Exception {
    try {
      return p.produce();
    } catch (java.io.IOException | IllegalArgumentException | org.bouncycastle.tsp.TSPException e) {
      throw CscException.invalidRequest("Malformed request: " + e.getMessage());
    }
  }

  private String firstSerial() {
    return ca.firstIssuingCa().certificate().getSerialNumber().toString(16);
  }
}
