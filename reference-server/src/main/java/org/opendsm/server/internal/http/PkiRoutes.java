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
        .result(binary(() -> pki.ocsp(ctx.bodyAsBytes()))));
    config.routes.post("/pki/tsa", ctx -> ctx.contentType("application/timestamp-reply")
        .result(binary(() -> pki.timestamp(ctx.bodyAsBytes()))));
    config.routes.get("/pki/ca.crl", ctx -> ctx.contentType("application/pkix-crl").result(pki.crl("ca")));
    config.routes.get("/pki/root.crl", ctx -> ctx.contentType("application/pkix-crl").result(pki.crl("root")));
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
