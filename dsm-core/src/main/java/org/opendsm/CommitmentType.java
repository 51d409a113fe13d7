package org.opendsm;

/**
 * What the signer commits to by signing (commitment-type-indication, ETSI EN 319 122-1 5.2.3;
 * the six types of ETSI TS 119 172-1, identified by their object identifiers).
 */
public enum CommitmentType {
  /** The signer created, approved and sent the data. */
  PROOF_OF_ORIGIN("1.2.840.113549.1.9.16.6.1", "ProofOfOrigin"),
  /** The signer received the data. */
  PROOF_OF_RECEIPT("1.2.840.113549.1.9.16.6.2", "ProofOfReceipt"),
  /** A trusted service delivered the data to the recipient. */
  PROOF_OF_DELIVERY("1.2.840.113549.1.9.16.6.3", "ProofOfDelivery"),
  /** The signer sent the data (not necessarily created it). */
  PROOF_OF_SENDER("1.2.840.113549.1.9.16.6.4", "ProofOfSender"),
  /** The signer approved the content (the usual meaning of a signature on a contract). */
  PROOF_OF_APPROVAL("1.2.840.113549.1.9.16.6.5", "ProofOfApproval"),
  /** The signer created the content (not necessarily approved or sent it). */
  PROOF_OF_CREATION("1.2.840.113549.1.9.16.6.6", "ProofOfCreation");

  private final String oid;
  private final String uri;

  CommitmentType(String oid, String fragment) {
    this.oid = oid;
    this.uri = "http://uri.etsi.org/01903/v1.2.2#" + fragment;
  }

  /** The URI XAdES names it by, e.g. {@code http://uri.etsi.org/01903/v1.2.2#ProofOfApproval}. */
  public String uri() {
    return uri;
  }

  /** The object identifier, e.g. {@code 1.2.840.113549.1.9.16.6.5}. */
  public String oid() {
    return oid;
  }

  /**
   * The type with this identifier — object identifier, {@code urn:oid:...} or XAdES URI — if it is
   * one of the six.
   */
  public static java.util.Optional<CommitmentType> of(String identifier) {
    String plain = identifier == null ? "" : identifier.replaceFirst("(?i)^urn:oid:", "");
    for (CommitmentType t : values()) {
      if (t.oid.equals(plain) || t.uri.equals(plain)) {
        return java.util.Optional.of(t);
      }
    }
    return java.util.Optional.empty();
  }

  /** {@code approval}, {@code PROOF_OF_APPROVAL} or the OID. */
  public static CommitmentType parse(String text) {
    String t = text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    for (CommitmentType c : values()) {
      if (c.name().equals(t) || c.name().equals("PROOF_OF_" + t)) {
        return c;
      }
    }
    return of(text.trim()).orElseThrow(() -> new IllegalArgumentException("Unknown commitment type '" + text
        + "': use origin, receipt, delivery, sender, approval or creation"));
  }
}
