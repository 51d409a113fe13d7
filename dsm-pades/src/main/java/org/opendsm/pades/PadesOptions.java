package org.opendsm.pades;

import java.util.Objects;
import org.opendsm.DigestAlgorithm;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureOptions;
import org.opendsm.SignedAttributes;
import org.opendsm.SignaturePackaging;

/**
 * Options of a PAdES signature. Immutable; build with {@link #builder()}.
 *
 * @param level baseline level (default B)
 * @param digestAlgorithm digest of the signed data (default SHA-256)
 * @param reason why the document is signed, shown by PDF readers; may be {@code null}
 * @param location where it is signed; may be {@code null}
 * @param contactInfo how to reach the signer; may be {@code null}
 * @param signerName the name in the signature dictionary (/Name); may be {@code null}
 * @param visibleSignature the appearance on a page; {@code null} for an invisible signature
 * @param certification a certification (DocMDP) signature's permissions; {@code null} for an approval
 * @param signedAttributes commitment types, claimed roles, policy, content timestamp (none by
 *     default; the place goes into {@code location}, and a commitment type replaces {@code reason})
 */
public record PadesOptions(
    SignatureLevel level,
    DigestAlgorithm digestAlgorithm,
    String reason,
    String location,
    String contactInfo,
    String signerName,
    VisibleSignature visibleSignature,
    Certification certification,
    SignedAttributes signedAttributes)
    implements SignatureOptions {

  public PadesOptions {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
    Objects.requireNonNull(signedAttributes, "signedAttributes");
    if (signedAttributes.signerLocation() != null) {
      throw new IllegalArgumentException("PAdES has no signer-location attribute: give the place as location(...)"
          + " (the signature dictionary's /Location)");
    }
    org.opendsm.internal.CustomAttributeForms.require(signedAttributes, true, "a PAdES signature");
    if (!signedAttributes.commitmentTypes().isEmpty() && reason != null) {
      throw new IllegalArgumentException("A PAdES signature states either a commitment type or a reason"
          + " (ETSI EN 319 142-1), not both");
    }
  }

  /** PDF signatures are always inside the document. */
  @Override
  public SignaturePackaging packaging() {
    return SignaturePackaging.ENVELOPED;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    return new Builder().level(level).digestAlgorithm(digestAlgorithm).reason(reason)
        .location(location).contactInfo(contactInfo).signerName(signerName).visibleSignature(visibleSignature)
        .certification(certification).signedAttributes(signedAttributes);
  }

  /** Builds {@link PadesOptions}. Not thread-safe. */
  public static final class Builder {
    private SignatureLevel level = SignatureLevel.B;
    private DigestAlgorithm digestAlgorithm = DigestAlgorithm.SHA256;
    private String reason;
    private String location;
    private String contactInfo;
    private String signerName;
    private VisibleSignature visibleSignature;
    private Certification certification;
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

    public Builder reason(String reason) {
      this.reason = text(reason, "reason");
      return this;
    }

    public Builder location(String location) {
      this.location = text(location, "location");
      return this;
    }

    public Builder contactInfo(String contactInfo) {
      this.contactInfo = text(contactInfo, "contactInfo");
      return this;
    }

    public Builder signerName(String signerName) {
      this.signerName = text(signerName, "signerName");
      return this;
    }

    /** Show the signature on a page (null, the default: invisible). */
    public Builder visibleSignature(VisibleSignature visibleSignature) {
      this.visibleSignature = visibleSignature;
      return this;
    }

    /**
     * Make this the document's certification signature with these DocMDP permissions (null, the
     * default: an approval signature). Only the first signature of a document can certify it.
     */
    public Builder certification(Certification certification) {
      this.certification = certification;
      return this;
    }

    public PadesOptions build() {
      return new PadesOptions(level, digestAlgorithm, reason, location, contactInfo, signerName, visibleSignature,
          certification, signedAttributes);
    }

    /**
     * Commitment types, claimed roles, signature policy, content timestamp. (No signer location:
     * PAdES uses {@link #location}. A commitment type and a {@link #reason} exclude each other.)
     */
    public Builder signedAttributes(SignedAttributes signedAttributes) {
      this.signedAttributes = Objects.requireNonNull(signedAttributes, "signedAttributes");
      return this;
    }

    private static String text(String value, String name) {
      if (value != null && (value.isBlank() || value.length() > 1000)) {
        throw new IllegalArgumentException(name + " must be 1 to 1000 characters, or null");
      }
      return value;
    }
  }
}
