package org.opendsm.server.internal.http;

import io.javalin.config.JavalinConfig;
import org.opendsm.server.internal.pki.PkiServices;

/** OCSP (POST), CRLs (GET) and the RFC 3161 TSA (POST) over HTTP, as certificates point to them. */
final class PkiRoutes {
  private final PkiServices pki;

  PkiRoutes(PkiServices pki) {
    this.pki = pki;
  }

  void register(JavalinConfig config) {
    config.routes.post("/pki/ocsp", ctx -> ctx.contentType("application/ocsp-response")
        .result(binary(() -> ocsp(ctx.bodyAsBytes()))));
    config.routes.post("/pki/tsa", ctx -> ctx.contentType("application/timestamp-reply")
        .result(binary(() -> pki.timestamp(ctx.bodyAsBytes()))));
    config.routes.get("/pki/ca.crl", ctx -> ctx.contentType("application/pkix-crl").result(pki.crl("ca")));
    config.routes.get("/pki/root.crl", ctx -> ctx.contentType("application/pkix-crl").result(pki.crl("root")));
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
}
