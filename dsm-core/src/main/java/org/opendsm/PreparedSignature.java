package org.opendsm;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.opendsm.internal.PreparedSignatureJson;

/**
 * The first half of a two-phase signature, frozen: format, options, signing time, certificate
 * chain, algorithm and the digest of the data to be signed.
 *
 * <p>The digest ({@link #digest()}) is all that goes to the signer, local or remote. Everything
 * the second phase needs to rebuild exactly the same data to be signed is in here, so the
 * parameters of both phases cannot drift apart. The document itself is not: only its SHA-256, so
 * that {@code complete} refuses a different document. That keeps a prepared signature small
 * enough to survive an HTTP redirect as JSON ({@link #toJson()} / {@link #fromJson(String)}).
 *
 * <pre>{@code
 * PreparedSignature prepared = pades.prepare(pdf, options, chain);
 * String json = prepared.toJson();              // keep it in the user's session
 * // ... the user authorises the digest at the signing service ...
 * SignedDocument signed = pades.complete(pdf, PreparedSignature.fromJson(json), value);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class PreparedSignature {
  private final SignatureFormat format;
  private final Map<String, String> options;
  private final SignatureAlgorithm signatureAlgorithm;
  private final Instant signingTime;
  private final List<X509Certificate> certificateChain;
  private final String documentName;
  private final byte[] documentSha256;
  private final byte[] digest;

  /**
   * Made by format services; applications obtain instances from {@code prepare} or
   * {@link #fromJson(String)}.
   */
  public PreparedSignature(
      SignatureFormat format,
      Map<String, String> options,
      SignatureAlgorithm signatureAlgorithm,
      Instant signingTime,
      List<X509Certificate> certificateChain,
      String documentName,
      byte[] documentSha256,
      byte[] digest) {
    this.format = Objects.requireNonNull(format, "format");
    this.options = Map.copyOf(options);
    this.signatureAlgorithm = Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
    this.signingTime = Objects.requireNonNull(signingTime, "signingTime");
    this.certificateChain = List.copyOf(certificateChain);
    if (this.certificateChain.isEmpty()) {
      throw new IllegalArgumentException("certificateChain must not be empty");
    }
    this.documentName = Objects.requireNonNull(documentName, "documentName");
    this.documentSha256 = requireLength(documentSha256, 32, "documentSha256");
    this.digest = requireLength(
        digest, signatureAlgorithm.digestAlgorithm().length(), "digest");
  }

  public SignatureFormat format() {
    return format;
  }

  /** The format's options, as the format service encoded them. */
  public Map<String, String> options() {
    return options;
  }

  public SignatureAlgorithm signatureAlgorithm() {
    return signatureAlgorithm;
  }

  public DigestAlgorithm digestAlgorithm() {
    return signatureAlgorithm.digestAlgorithm();
  }

  /** The claimed signing time, fixed at preparation (second precision). */
  public Instant signingTime() {
    return signingTime;
  }

  public List<X509Certificate> certificateChain() {
    return certificateChain;
  }

  public String documentName() {
    return documentName;
  }

  /** SHA-256 of the document this signature was prepared for. */
  public byte[] documentSha256() {
    return documentSha256.clone();
  }

  /** The digest of the data to be signed: the only thing a signer sees. */
  public byte[] digest() {
    return digest.clone();
  }

  public String toJson() {
    return PreparedSignatureJson.write(this);
  }

  /**
   * Reads what {@link #toJson()} wrote.
   *
   * @throws IllegalArgumentException if the JSON is not a prepared signature
   */
  public static PreparedSignature fromJson(String json) {
    return PreparedSignatureJson.read(json);
  }

  private static byte[] requireLength(byte[] value, int length, String name) {
    Objects.requireNonNull(value, name);
    if (value.length != length) {
      throw new IllegalArgumentException(
          name + " must be " + length + " bytes, got " + value.length);
    }
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreparedSignature p
        && format == p.format
        && options.equals(p.options)
        && signatureAlgorithm == p.signatureAlgorithm
        && signingTime.equals(p.signingTime)
        && certificateChain.equals(p.certificateChain)
        && documentName.equals(p.documentName)
        && Arrays.equals(documentSha256, p.documentSha256)
        && Arrays.equals(digest, p.digest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(format, signingTime, documentName, Arrays.hashCode(digest));
  }

  @Override
  public String toString() {
    return "PreparedSignature[" + format + " " + options.get("level") + ", " + documentName + ", "
        + signatureAlgorithm + ", " + signingTime + "]";
  }
}
