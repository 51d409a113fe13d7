package org.opendsm.xades;

import java.util.Objects;
import org.opendsm.DigestAlgorithm;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureOptions;
import org.opendsm.SignedAttributes;
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
 * @param signedAttributes commitment types, claimed roles, signer location (SignatureProductionPlaceV2),
 *     policy, content timestamp (none by default)
 */
public record XadesOptions(SignatureLevel level, DigestAlgorithm digestAlgorithm, SignaturePackaging packaging,
    SignedAttributes signedAttributes) implements SignatureOptions {

  public XadesOptions {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
    Objects.requireNonNull(packaging, "packaging");
    Objects.requireNonNull(signedAttributes, "signedAttributes");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    return new Builder().level(level).digestAlgorithm(digestAlgorithm).packaging(packaging)
        .signedAttributes(signedAttributes);
  }

  /** Builds {@link XadesOptions}. Not thread-safe. */
  public static final class Builder {
    private SignatureLevel level = SignatureLevel.B;
    private DigestAlgorithm digestAlgorithm = DigestAlgorithm.SHA256;
    private SignaturePackaging packaging = SignaturePackaging.ENVELOPED;
    private SignedAttributes signedAttributes = SignedAttributes.NONE;

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

    /** Commitment types, claimed roles, signer location, signature policy, content timestamp. */
    public Builder signedAttributes(SignedAttributes signedAttributes) {
      this.signedAttributes = Objects.requireNonNull(signedAttributes, "signedAttributes");
      return this;
    }

    public XadesOptions build() {
      return new XadesOptions(level, digestAlgorithm, packaging, signedAttributes);
    }
  }
}
