package org.opendsm.server.internal.http;

import io.javalin.config.JavalinConfig;
import org.opendsm.server.internal.pki.CertificateAuthority;
import org.opendsm.server.internal.pki.PkiServices;

/**
 * OCSP (POST), CRLs and CA certificates (GET) and the RFC 3161 TSA (POST) over HTTP, as
 * certificates point to them. Each generation of the issuing CA has its CRL and certificate under
 * {@code /pki/ca/SERIAL.crl} and {@code .cer}; {@code /pki/ca.crl} and {@code /pki/ca.cer}, named
 * by certificates issued before the issuing CA could be renewed, stay with the first generation.
 */
final class PkiRoutes {
  private final PkiServices pki;
  private final CertificateAuthority ca;

  PkiRoutes(PkiServices pki, CertificateAuthority ca) {
    this.pki = pki;
    this.ca = ca;
  }

  void register(JavalinConfig config) {
    config.routes.post("/pki/ocsp", ctx -> ctx.contentType("application/ocsp-response")
        .result(binary(() -> ocsp(ctx.bodyAsBytes()))));
    config.routes.post("/pki/tsa", ctx -> ctx.contentType("application/timestamp-reply")
        .result(binary(() -> pki.timestamp(ctx.bodyAsBytes()))));
    config.routes.get("/pki/root.crl", ctx -> ctx.contentType("application/pkix-crl")
        .result(pki.rootCrl(serial(ca.firstRoot())).orElseThrow()));
    config.routes.get("/pki/root.cer", ctx -> ctx.contentType("application/pkix-cert")
        .result(org.opendsm.internal.Dss.encoded(ca.firstRoot().certificate())));
    config.routes.get("/pki/root/{file}", ctx -> {
      GenerationFile f = GenerationFile.parse(ctx.pathParam("file"));
      var generation = f == null ? java.util.Optional.<CertificateAuthority.Issuer>empty() : ca.rootGeneration(f.serial());
      if (generation.isEmpty()) {
        throw new io.javalin.http.NotFoundResponse("No root certificate or CRL " + ctx.pathParam("file"));
      }
      switch (f.kind()) {
        case "crl" -> ctx.contentType("application/pkix-crl").result(pki.rootCrl(f.serial()).orElseThrow());
        case "p7c" -> ctx.contentType("application/pkcs7-mime").result(certsOnly(ca.rootBundle(generation.get())));
        default -> ctx.contentType("application/pkix-cert")
            .result(org.opendsm.internal.Dss.encoded(generation.get().certificate()));
      }
    });
    config.routes.get("/pki/ca.crl", ctx -> ctx.contentType("application/pkix-crl")
        .result(pki.issuingCaCrl(serial(ca.firstIssuingCa())).orElseThrow()));
    config.routes.get("/pki/ca.cer", ctx -> ctx.contentType("application/pkix-cert")
        .result(org.opendsm.internal.Dss.encoded(ca.firstIssuingCa().certificate())));
    config.routes.get("/pki/ca/{file}", ctx -> {
      GenerationFile f = GenerationFile.parse(ctx.pathParam("file"));
      var generation = f == null || f.kind().equals("p7c") ? java.util.Optional.<CertificateAuthority.Issuer>empty()
          : ca.issuingCa(f.serial());
      if (generation.isEmpty()) {
        throw new io.javalin.http.NotFoundResponse("No issuing CA certificate or CRL " + ctx.pathParam("file"));
      }
      if (f.kind().equals("crl")) {
        ctx.contentType("application/pkix-crl").result(pki.issuingCaCrl(f.serial()).orElseThrow());
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

  private static String serial(CertificateAuthority.Issuer generation) {
    return generation.certificate().getSerialNumber().toString(16);
  }

  /** A certs-only CMS (degenerate SignedData, no signers) holding {@code certificates}. */
  private static byte[] certsOnly(java.util.List<java.security.cert.X509Certificate> certificates) throws Exception {
    var generator = new org.bouncycastle.cms.CMSSignedDataGenerator();
    generator.addCertificates(new org.bouncycastle.cert.jcajce.JcaCertStore(certificates));
    return generator.generate(new org.bouncycastle.cms.CMSAbsentContent()).getEncoded();
  }

  /** {@code SERIAL.crl}, {@code .cer} or {@code .p7c}, the serial in lower-case hex; null for anything else. */
  private record GenerationFile(String serial, String kind) {
    static GenerationFile parse(String file) {
      var m = java.util.regex.Pattern.compile("([0-9a-fA-F]{1,40})\\.(crl|cer|p7c)").matcher(file);
      return m.matches() ? new GenerationFile(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2)) : null;
    }
  }
}
