package org.opendsm.xades;

import java.util.Objects;
import org.opendsm.DigestAlgorithm;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureOptions;
import org.opendsm.SignaturePackaging;

/**
 * Options of a XAdES signature. Immutable; build with {@link #builder()}.
 *
 * @param level baseline level (default B)
 * @param digestAlgorithm digest of the references and signed properties (default SHA-256)
 * @param packaging {@link SignaturePackaging#ENVELOPED} (default: the signature goes inside the
 *     XML document), {@link SignaturePackaging#ENVELOPING} (the content, base64-encoded, goes
 *     inside the signature; any bytes) or {@link SignaturePackaging#DETACHED} (the signature
 *     refers to the content by name)
 */
public record XadesOptions(SignatureLevel level, DigestAlgorithm digestAlgorithm, SignaturePackaging packaging)
    implements SignatureOptions {

  public XadesOptions {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
    Objects.requireNonNull(packaging, "packaging");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    return new Builder().level(level).digestAlgorithm(digestAlgorithm).packaging(packaging);
  }

  /** Builds {@link XadesOptions}. Not thread-safe. */
  public static final class Builder {
    private SignatureLevel level = SignatureLevel.B;
    private DigestAlgorithm digestAlgorithm = DigestAlgorithm.SHA256;
    private SignaturePackaging packaging = SignaturePackaging.ENVELOPED;

    private Builder() {}

    public Builder level(SignatureLevel level) {
      this.level = Objects.requireNonNull(level, "level");
      return this;
    }

    public Builder digestAlgorithm(DigestAlgorithm digestAlgorithm) {
      this.digestAlgorithm = Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
      return this;
    }

    public Builder packaging(SignaturePackaging packaging) {
      this.packaging = Objects.requireNonNull(packaging, "packaging");
      return this;
    }

    public XadesOptions build() {
      return new XadesOptions(level, digestAlgorithm, packaging);
    }
  }
}
