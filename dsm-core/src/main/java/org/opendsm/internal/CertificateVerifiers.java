package org.opendsm.internal;

import eu.europa.esig.dss.service.crl.OnlineCRLSource;
import eu.europa.esig.dss.service.http.commons.CommonsDataLoader;
import eu.europa.esig.dss.service.http.commons.OCSPDataLoader;
import eu.europa.esig.dss.service.ocsp.OnlineOCSPSource;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.spi.x509.aia.DefaultAIASource;
import org.opendsm.TrustSettings;

/** Builds DSS certificate verifiers from {@link TrustSettings}. */
public final class CertificateVerifiers {
  private CertificateVerifiers() {}

  /**
   * Fetches signature policy documents from the URL a signature names (SPURI) when the trust
   * settings allow network access; otherwise a policy is reported as not obtained.
   */
  public static eu.europa.esig.dss.spi.policy.SignaturePolicyProvider policyProvider(TrustSettings trust) {
    var provider = new eu.europa.esig.dss.spi.policy.SignaturePolicyProvider();
    if (trust.onlineRevocation()) {
      int millis = (int) trust.networkTimeout().toMillis();
      CommonsDataLoader http = new CommonsDataLoader();
      http.setTimeoutConnection(millis);
      http.setTimeoutResponse(millis);
      http.setTimeoutSocket(millis);
      provider.setDataLoader(http);
    }
    return provider;
  }

  public static CommonCertificateVerifier create(TrustSettings trust) {
    CommonCertificateVerifier cv = new CommonCertificateVerifier();
    if (!trust.trustAnchors().isEmpty()) {
      CommonTrustedCertificateSource anchors = new CommonTrustedCertificateSource();
      trust.trustAnchors().forEach(c -> anchors.addCertificate(Dss.token(c)));
      cv.setTrustedCertSources(anchors);
    }
    if (trust.onlineRevocation()) {
      int millis = (int) trust.networkTimeout().toMillis();
      CommonsDataLoader http = new CommonsDataLoader();
      http.setTimeoutConnection(millis);
      http.setTimeoutResponse(millis);
      http.setTimeoutSocket(millis);
      OCSPDataLoader ocspHttp = new OCSPDataLoader();
      ocspHttp.setTimeoutConnection(millis);
      ocspHttp.setTimeoutResponse(millis);
      ocspHttp.setTimeoutSocket(millis);
      cv.setOcspSource(new OnlineOCSPSource(ocspHttp));
      cv.setCrlSource(new OnlineCRLSource(http));
      cv.setAIASource(new DefaultAIASource(http));
    } else {
      cv.setOcspSource(null);
      cv.setCrlSource(null);
      cv.setAIASource(null);
    }
    // LT/LTA must embed revocation data even when the verifier was given no trust anchors: the
    // relying party decides trust later. A missing answer stays an error (DSS's default alert).
    cv.setCheckRevocationForUntrustedChains(true);
    return cv;
  }
}
