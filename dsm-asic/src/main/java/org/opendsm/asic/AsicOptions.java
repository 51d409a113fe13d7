package org.opendsm.asic;

import java.util.Objects;
import org.opendsm.DigestAlgorithm;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.SignedAttributes;

/**
 * Options of a signature in an ASiC container. Immutable; build with {@link #builder()}.
 *
 * @param type ASiC-E (default: several files) or ASiC-S
 * @param format CAdES (default) or XAdES signatures inside the container
 * @param level baseline level (default B)
 * @param digestAlgorithm digest of the files and signed attributes (default SHA-256)
 * @param signedAttributes commitment types, claimed roles, signer location, policy, custom attributes
 *     (CMS ones with CAdES, XML ones with XAdES); none by default
 */
public record AsicOptions(AsicType type, SignatureFormat format, SignatureLevel level, DigestAlgorithm digestAlgorithm,
    SignedAttributes signedAttributes) {

  public AsicOptions {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
    Objects.requireNonNull(signedAttributes, "signedAttributes");
    if (format == SignatureFormat.PADES) {
      throw new IllegalArgumentException("An ASiC container holds CAdES or XAdES signatures, not PAdES");
    }
    org.opendsm.internal.CustomAttributeForms.require(signedAttributes, format == SignatureFormat.CADES,
        "an ASiC container's " + (format == SignatureFormat.CADES ? "CAdES" : "XAdES") + " signature");
    if (signedAttributes.contentTimestamp()) {
      throw new IllegalArgumentException("Content timestamps are not offered for ASiC containers");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link AsicOptions}. Not thread-safe. */
  public static final class Builder {
    private AsicType type = AsicType.EXTENDED;
    private SignatureFormat format = SignatureFormat.CADES;
    private SignatureLevel level = SignatureLevel.B;
    private DigestAlgorithm digestAlgorithm = DigestAlgorithm.SHA256;
    private SignedAttributes signedAttributes = SignedAttributes.NONE;

    private Builder() {}

    public Builder type(AsicType type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    public Builder format(SignatureFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    public Builder level(SignatureLevel level) {
      this.level = Objects.requireNonNull(level, "level");
      return this;
    }

    public Builder digestAlgorithm(DigestAlgorithm digestAlgorithm) {
      this.digestAlgorithm = Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
      return this;
    }

    public Builder signedAttributes(SignedAttributes signedAttributes) {
      this.signedAttributes = Objects.requireNonNull(signedAttributes, "signedAttributes");
      return this;
    }

    /** @throws IllegalArgumentException for PAdES, or a content timestamp */
    public AsicOptions build() {
      return new AsicOptions(type, format, level, digestAlgorithm, signedAttributes);
    }
  }
}
