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
      provider.setDataLoader(new HttpOnly(withTimeouts(new CommonsDataLoader(), trust)));
    }
    return provider;
  }

  /** {@code loader} with the trust settings' network timeout for connecting, answering and reading. */
  private static <L extends CommonsDataLoader> L withTimeouts(L loader, TrustSettings trust) {
    int millis = (int) trust.networkTimeout().toMillis();
    loader.setTimeoutConnection(millis);
    loader.setTimeoutResponse(millis);
    loader.setTimeoutSocket(millis);
    return loader;
  }

  /**
   * A signature names its policy's URL itself: fetch it only over HTTP(S), never as a local file,
   * FTP or LDAP (a signed upload must not make the verifier read its disk or reach other
   * protocols), and refuse one larger than {@link #MAX_POLICY_BYTES}.
   */
  private static final int MAX_POLICY_BYTES = 4 << 20;

  private record HttpOnly(eu.europa.esig.dss.spi.client.http.DataLoader delegate)
      implements eu.europa.esig.dss.spi.client.http.DataLoader {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] get(String url) {
      String u = url == null ? "" : url.trim().toLowerCase(java.util.Locale.ROOT);
      if (!u.startsWith("http://") && !u.startsWith("https://")) {
        throw new eu.europa.esig.dss.model.DSSException("Only http(s) policy URLs are fetched: " + url);
      }
      byte[] body = delegate.get(url);
      if (body != null && body.length > MAX_POLICY_BYTES) {
        throw new eu.europa.esig.dss.model.DSSException("The policy document at " + url + " is larger than "
            + MAX_POLICY_BYTES + " bytes");
      }
      return body;
    }

    @Override
    public DataAndUrl get(java.util.List<String> urls) {
      for (String url : urls) {
        try {
          return new DataAndUrl(url, get(url));
        } catch (RuntimeException e) {
          // try the next one
        }
      }
      throw new eu.europa.esig.dss.model.DSSException("No policy URL could be fetched over http(s)");
    }

    @Override
    public byte[] post(String url, byte[] content) {
      throw new UnsupportedOperationException("Policy documents are fetched, not posted");
    }

    @Override
    public void setContentType(String contentType) {
      delegate.setContentType(contentType);
    }
  }

  public static CommonCertificateVerifier create(TrustSettings trust) {
    CommonCertificateVerifier cv = new CommonCertificateVerifier();
    if (!trust.trustAnchors().isEmpty()) {
      CommonTrustedCertificateSource anchors = new CommonTrustedCertificateSource();
      trust.trustAnchors().forEach(c -> anchors.addCertificate(Dss.token(c)));
      cv.setTrustedCertSources(anchors);
    }
    if (trust.onlineRevocation()) {
      CommonsDataLoader http = withTimeouts(new CommonsDataLoader(), trust);
      OCSPDataLoader ocspHttp = withTimeouts(new OCSPDataLoader(), trust);
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
