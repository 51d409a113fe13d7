package org.opendsm;

import java.util.Objects;
import java.util.Optional;

/**
 * What a format service needs beyond the document and the key: a timestamp source (levels T, LT,
 * LTA) and trust settings (revocation data for LT and LTA, trust anchors).
 *
 * <pre>{@code
 * ServiceSettings settings = ServiceSettings.builder()
 *     .timestampSource(TimestampSource.rfc3161(tsaUrl))
 *     .trust(TrustSettings.builder().addTrustAnchors(rootPem).build())
 *     .build();
 * PadesService pades = PadesService.create(settings);
 * }</pre>
 */
public final class ServiceSettings {
  private final TimestampSource timestampSource;
  private final TrustSettings trust;

  private ServiceSettings(Builder b) {
    this.timestampSource = b.timestampSource;
    this.trust = b.trust;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** No timestamp source (level B only), default trust settings. */
  public static ServiceSettings defaults() {
    return builder().build();
  }

  public Optional<TimestampSource> timestampSource() {
    return Optional.ofNullable(timestampSource);
  }

  public TrustSettings trust() {
    return trust;
  }

  public Builder newBuilder() {
    return new Builder().timestampSource(timestampSource).trust(trust);
  }

  /** Builds {@link ServiceSettings}; not thread-safe. */
  public static final class Builder {
    private TimestampSource timestampSource;
    private TrustSettings trust = TrustSettings.defaults();

    private Builder() {}

    /** The TSA for levels T, LT and LTA; {@code null} means level B only. */
    public Builder timestampSource(TimestampSource source) {
      this.timestampSource = source;
      return this;
    }

    public Builder trust(TrustSettings trust) {
      this.trust = Objects.requireNonNull(trust, "trust");
      return this;
    }

    public ServiceSettings build() {
      return new ServiceSettings(this);
    }
  }
}
