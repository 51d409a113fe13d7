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
 * @param canonicalization for SignedInfo, the signed properties and the references (default exclusive)
 * @param signedElementIds enveloped only: sign these elements (by their Id attribute) instead of the
 *     whole document, one reference each; empty for the whole document
 * @param signedXPath enveloped only: sign what this XPath selects (an XPath Filter 2.0 intersect),
 *     e.g. {@code //*[local-name()='invoice']}; {@code null} for the whole document
 * @param signedAttributes commitment types, claimed roles, signer location (SignatureProductionPlaceV2),
 *     policy, content timestamp (none by default)
 */
public record XadesOptions(SignatureLevel level, DigestAlgorithm digestAlgorithm, SignaturePackaging packaging,
    Canonicalization canonicalization, java.util.List<String> signedElementIds, String signedXPath,
    SignedAttributes signedAttributes) implements SignatureOptions {

  public XadesOptions {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
    Objects.requireNonNull(packaging, "packaging");
    Objects.requireNonNull(signedAttributes, "signedAttributes");
    Objects.requireNonNull(canonicalization, "canonicalization");
    org.opendsm.internal.CustomAttributeForms.require(signedAttributes, false, "a XAdES signature");
    signedElementIds = java.util.List.copyOf(Objects.requireNonNull(signedElementIds, "signedElementIds"));
    if ((!signedElementIds.isEmpty() || signedXPath != null) && packaging != SignaturePackaging.ENVELOPED) {
      throw new IllegalArgumentException("Signing elements by id or XPath is for ENVELOPED signatures");
    }
    if (!signedElementIds.isEmpty() && signedXPath != null) {
      throw new IllegalArgumentException("Sign elements either by id or by XPath, not both");
    }
    for (String id : signedElementIds) {
      if (!id.matches("[A-Za-z_][A-Za-z0-9._-]*")) {
        throw new IllegalArgumentException("Not an XML id: '" + id + "'");
      }
    }
    if (signedXPath != null && signedXPath.isBlank()) {
      throw new IllegalArgumentException("The XPath is blank");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    Builder b = new Builder().level(level).digestAlgorithm(digestAlgorithm).packaging(packaging)
        .canonicalization(canonicalization).signedXPath(signedXPath).signedAttributes(signedAttributes);
    signedElementIds.forEach(b::signedElement);
    return b;
  }

  /** Builds {@link XadesOptions}. Not thread-safe. */
  public static final class Builder {
    private SignatureLevel level = SignatureLevel.B;
    private DigestAlgorithm digestAlgorithm = DigestAlgorithm.SHA256;
    private SignaturePackaging packaging = SignaturePackaging.ENVELOPED;
    private SignedAttributes signedAttributes = SignedAttributes.NONE;
    private Canonicalization canonicalization = Canonicalization.EXCLUSIVE;
    private final java.util.List<String> signedElementIds = new java.util.ArrayList<>();
    private String signedXPath;

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

    public Builder canonicalization(Canonicalization canonicalization) {
      this.canonicalization = Objects.requireNonNull(canonicalization, "canonicalization");
      return this;
    }

    /** Signs the element with this Id attribute (repeatable); enveloped signatures only. */
    public Builder signedElement(String id) {
      signedElementIds.add(Objects.requireNonNull(id, "id"));
      return this;
    }

    /** Signs what {@code xpath} selects in the document; enveloped signatures only. */
    public Builder signedXPath(String xpath) {
      this.signedXPath = xpath;
      return this;
    }

    public XadesOptions build() {
      return new XadesOptions(level, digestAlgorithm, packaging, canonicalization, signedElementIds, signedXPath,
          signedAttributes);
    }
  }
}
