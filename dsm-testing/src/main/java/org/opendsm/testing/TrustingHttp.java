package org.opendsm.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** A JDK HTTP client that trusts exactly the given certificate (a test server's self-signed one). */
public final class TrustingHttp {
  private TrustingHttp() {}

  public static HttpClient client(X509Certificate trusted) {
    return HttpClient.newBuilder().sslContext(sslContext(trusted)).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * A browser's view: trusts the certificate, keeps cookies, follows no redirect (tests read
   * each Location).
   */
  public static HttpClient browser(X509Certificate trusted) {
    return HttpClient.newBuilder().sslContext(sslContext(trusted)).connectTimeout(Duration.ofSeconds(10))
        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** A TLS context that trusts exactly the given certificate. */
  public static SSLContext sslContext(X509Certificate trusted) {
    try {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, new TrustManager[] {trustManager(trusted)}, null);
      return ssl;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot trust " + trusted.getSubjectX500Principal(), e);
    }
  }

  /** A trust manager that trusts exactly the given certificate (for clients that take one, like OkHttp). */
  public static X509TrustManager trustManager(X509Certificate trusted) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("trusted", trusted);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      return (X509TrustManager) tmf.getTrustManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot trust " + trusted.getSubjectX500Principal(), e);
    }
  }
}
