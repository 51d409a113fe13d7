package org.opendsm;

import java.net.URI;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The signature policy a signature is made under (signature-policy-identifier, ETSI EN 319
 * 122-1 5.2.9; XAdES SignaturePolicyIdentifier): the policy's identifier, the digest of the policy
 * document, and its qualifiers: where to fetch that document (SPURI) and a notice to show the
 * signer and relying parties (SPUserNotice, explicit text). A verifier that can fetch the document
 * recomputes the digest and reports whether the policy was identified.
 *
 * @param id the policy's object identifier (or a URI, in XAdES)
 * @param digestAlgorithm the algorithm of {@code digest}
 * @param digest the digest of the policy document
 * @param uri where the policy document can be fetched (optional)
 * @param description a short human-readable description (optional, XAdES only)
 * @param userNotice the SPUserNotice qualifier's explicit text, at most 200 characters (optional)
 */
public record SignaturePolicy(String id, DigestAlgorithm digestAlgorithm, byte[] digest, URI uri, String description,
    String userNotice) {
  public SignaturePolicy {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(digestAlgorithm, "digestAlgorithm");
    Objects.requireNonNull(digest, "digest");
    if (id.isBlank()) {
      throw new IllegalArgumentException("A signature policy needs an identifier");
    }
    if (digest.length != digestAlgorithm.length()) {
      throw new IllegalArgumentException("A " + digestAlgorithm + " digest has " + digestAlgorithm.length()
          + " bytes, not " + digest.length);
    }
    if (userNotice != null && (userNotice.isBlank() || userNotice.length() > 200)) {
      throw new IllegalArgumentException("A policy's user notice is 1 to 200 characters (RFC 5280 DisplayText)");
    }
    digest = digest.clone();
  }

  /** Without a user notice. */
  public SignaturePolicy(String id, DigestAlgorithm digestAlgorithm, byte[] digest, URI uri, String description) {
    this(id, digestAlgorithm, digest, uri, description, null);
  }

  /** This policy with the SPUserNotice qualifier {@code explicitText}. */
  public SignaturePolicy withUserNotice(String explicitText) {
    return new SignaturePolicy(id, digestAlgorithm, digest, uri, description,
        Objects.requireNonNull(explicitText, "explicitText"));
  }

  /**
   * The policy {@code id} whose document is {@code document}, published at {@code uri}; SHA-256.
   * For an ASN.1 policy (ETSI TR 102 272, DER) the digest covers its {@code signPolicyInfo}, as
   * that specification and verifiers compute it; for any other document, the whole file. An XML
   * policy (ETSI TS 119 172-2) has its own digest rules: give that digest with the constructor.
   *
   * @throws IllegalArgumentException for an XML policy document
   */
  public static SignaturePolicy of(String id, byte[] document, URI uri) {
    return new SignaturePolicy(id, DigestAlgorithm.SHA256, policyDigest(document), uri, null);
  }

  private static byte[] policyDigest(byte[] document) {
    int first = 0;
    while (first < document.length && Character.isWhitespace(document[first])) {
      first++;
    }
    if (first < document.length && document[first] == '<') {
      throw new IllegalArgumentException("An XML signature policy is digested by its own rules (ETSI TS 119 172-2):"
          + " compute that digest and use the SignaturePolicy constructor");
    }
    if (document.length > 0 && document[0] == 0x30) {
      try {
        var policy = org.bouncycastle.asn1.ASN1Sequence.getInstance(document);
        if (policy.size() >= 2 && policy.getObjectAt(1) instanceof org.bouncycastle.asn1.ASN1Sequence info) {
          return DigestAlgorithm.SHA256.digest(info.getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER));
        }
      } catch (java.io.IOException | IllegalArgumentException e) {
        // not an ASN.1 policy after all: the whole file
      }
    }
    return DigestAlgorithm.SHA256.digest(document);
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignaturePolicy p && id.equals(p.id) && digestAlgorithm == p.digestAlgorithm
        && Arrays.equals(digest, p.digest) && Objects.equals(uri, p.uri) && Objects.equals(description, p.description)
        && Objects.equals(userNotice, p.userNotice);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, digestAlgorithm, Arrays.hashCode(digest), uri, description, userNotice);
  }

  @Override
  public String toString() {
    return "SignaturePolicy[" + id + ", " + digestAlgorithm + " " + HexFormat.of().formatHex(digest)
        + (uri == null ? "" : ", " + uri) + "]";
  }
}
