package org.opendsm.cades;

import java.util.Objects;
import org.opendsm.DigestAlgorithm;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureOptions;
import org.opendsm.SignedAttributes;
import org.opendsm.SignaturePackaging;

/**
 * Options of a CAdES signature. Immutable; build with {@link #builder()}.
 *
 * @param level baseline level (default B)
 * @param digestAlgorithm digest of the content and signed attributes (default SHA-256)
 * @param packaging {@link SignaturePackaging#ENVELOPING} (default: a .p7m holding the content) or
 *     {@link SignaturePackaging#DETACHED} (a .p7s beside the content, which is only hashed)
 * @param signedAttributes commitment types, claimed roles, signer location, policy, content
 *     timestamp (none by default)
 * @param contentHints the content-hints attribute, or {@code null} for none
 */
public record CadesOptions(SignatureLevel level, DigestAlgorithm digestAlgorithm, SignaturePackaging packaging,
    SignedAttributes signedAttributes, ContentHints contentHints) implements SignatureOptions {

  public CadesOptions {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
    Objects.requireNonNull(packaging, "packaging");
    Objects.requireNonNull(signedAttributes, "signedAttributes");
    org.opendsm.internal.CustomAttributeForms.require(signedAttributes, true, "a CAdES signature");
    if (packaging == SignaturePackaging.ENVELOPED) {
      throw new IllegalArgumentException(
          "CAdES cannot be enveloped (a CMS signature cannot sit inside arbitrary bytes):"
              + " use ENVELOPING or DETACHED");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    return new Builder().level(level).digestAlgorithm(digestAlgorithm).packaging(packaging)
        .signedAttributes(signedAttributes).contentHints(contentHints);
  }

  /** Builds {@link CadesOptions}. Not thread-safe. */
  public static final class Builder {
    private SignatureLevel level = SignatureLevel.B;
    private DigestAlgorithm digestAlgorithm = DigestAlgorithm.SHA256;
    private SignaturePackaging packaging = SignaturePackaging.ENVELOPING;
    private SignedAttributes signedAttributes = SignedAttributes.NONE;
    private ContentHints contentHints;

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

    /** What the content is (content-hints attribute); {@code null} for none. */
    public Builder contentHints(ContentHints contentHints) {
      this.contentHints = contentHints;
      return this;
    }

    /** @throws IllegalArgumentException for ENVELOPED packaging */
    public CadesOptions build() {
      return new CadesOptions(level, digestAlgorithm, packaging, signedAttributes, contentHints);
    }
  }
}
