package org.opendsm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a signature is validated against, and how revocation data is found.
 *
 * <ul>
 *   <li>Trust anchors: the root (or intermediate) certificates you trust. With none, no signature
 *       can reach TOTAL_PASSED; verification still reports cryptographic integrity.</li>
 *   <li>Online revocation: when on (the default), OCSP responders and CRL distribution points named
 *       in certificates are contacted, and missing issuer certificates are fetched through AIA.
 *       Needed to sign at LT and LTA. Turn off for offline verification of LT/LTA documents, which
 *       carry their own revocation data.</li>
 * </ul>
 *
 * <pre>{@code
 * TrustSettings trust = TrustSettings.builder().addTrustAnchors(Path.of("root.pem")).build();
 * }</pre>
 */
public final class TrustSettings {
  private final List<X509Certificate> trustAnchors;
  private final boolean onlineRevocation;
  private final Duration networkTimeout;

  private TrustSettings(Builder b) {
    this.trustAnchors = List.copyOf(b.trustAnchors);
    this.onlineRevocation = b.onlineRevocation;
    this.networkTimeout = b.networkTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** No trust anchors, online revocation on. */
  public static TrustSettings defaults() {
    return builder().build();
  }

  public List<X509Certificate> trustAnchors() {
    return trustAnchors;
  }

  public boolean onlineRevocation() {
    return onlineRevocation;
  }

  public Duration networkTimeout() {
    return networkTimeout;
  }

  public Builder newBuilder() {
    Builder b = new Builder();
    b.trustAnchors.addAll(trustAnchors);
    b.onlineRevocation = onlineRevocation;
    b.networkTimeout = networkTimeout;
    return b;
  }

  /** Builds {@link TrustSettings}; not thread-safe. */
  public static final class Builder {
    private final List<X509Certificate> trustAnchors = new ArrayList<>();
    private boolean onlineRevocation = true;
    private Duration networkTimeout = Duration.ofSeconds(20);

    private Builder() {}

    public Builder addTrustAnchor(X509Certificate anchor) {
      trustAnchors.add(Objects.requireNonNull(anchor, "anchor"));
      return this;
    }

    /** Adds every certificate in a PEM or DER file. */
    public Builder addTrustAnchors(Path certificateFile) {
      Objects.requireNonNull(certificateFile, "certificateFile");
      try (InputStream in = Files.newInputStream(certificateFile)) {
        var certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        if (certs.isEmpty()) {
          throw new IllegalArgumentException("No certificate in " + certificateFile);
        }
        certs.forEach(c -> trustAnchors.add((X509Certificate) c));
      } catch (IOException | CertificateException e) {
        throw new IllegalArgumentException(
            "Cannot read trust anchors from " + certificateFile + ": " + e.getMessage(), e);
      }
      return this;
    }

    public Builder onlineRevocation(boolean on) {
      this.onlineRevocation = on;
      return this;
    }

    /** Connect and read timeout for OCSP, CRL and AIA requests. */
    public Builder networkTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("networkTimeout must be positive: " + timeout);
      }
      this.networkTimeout = timeout;
      return this;
    }

    public TrustSettings build() {
      return new TrustSettings(this);
    }
  }
}
