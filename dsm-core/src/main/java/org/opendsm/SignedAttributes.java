package org.opendsm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Signed attributes beyond the signing certificate and time, for every format: what the signer
 * commits to, the roles they claim, where they sign, the signature policy, and whether a content
 * timestamp (proof that the content existed before it was signed) is taken, and the application's
 * own attributes ({@link CustomAttribute}). All are covered by
 * the signature; verification reports them ({@link SignatureReport#attributes()}).
 *
 * <pre>{@code
 * SignedAttributes.builder().commitment(CommitmentType.PROOF_OF_APPROVAL).claimedRole("Director")
 *     .signerLocation(SignerLocation.of("LU", "Luxembourg")).contentTimestamp(true).build();
 * }</pre>
 *
 * @param commitmentTypes what the signer commits to (none by default)
 * @param claimedRoles roles the signer claims, as text (not certified)
 * @param signerLocation where the signer claims to sign, or {@code null}
 * @param policy the signature policy, or {@code null}
 * @param contentTimestamp whether to timestamp the content before signing it (needs a timestamp source)
 * @param custom the application's own attributes, in the form the format allows ({@link CustomAttribute})
 */
public record SignedAttributes(List<CommitmentType> commitmentTypes, List<String> claimedRoles,
    SignerLocation signerLocation, SignaturePolicy policy, boolean contentTimestamp, List<CustomAttribute> custom) {

  /** No attributes beyond the signing certificate and time. */
  public static final SignedAttributes NONE = new SignedAttributes(List.of(), List.of(), null, null, false, List.of());

  public SignedAttributes {
    commitmentTypes = List.copyOf(Objects.requireNonNull(commitmentTypes, "commitmentTypes"));
    claimedRoles = List.copyOf(Objects.requireNonNull(claimedRoles, "claimedRoles"));
    custom = List.copyOf(Objects.requireNonNull(custom, "custom"));
    List<String> types = custom.stream().filter(CustomAttribute.Cms.class::isInstance)
        .map(c -> ((CustomAttribute.Cms) c).oid()).toList();
    if (types.size() != types.stream().distinct().count()) {
      throw new IllegalArgumentException("A custom attribute type is given twice: " + types);
    }
    if (commitmentTypes.size() != commitmentTypes.stream().distinct().count()) {
      throw new IllegalArgumentException("A commitment type is given twice: " + commitmentTypes);
    }
    for (String role : claimedRoles) {
      if (role.isBlank()) {
        throw new IllegalArgumentException("A claimed role cannot be blank");
      }
    }
  }

  /** Without custom attributes (the constructor before they existed). */
  public SignedAttributes(List<CommitmentType> commitmentTypes, List<String> claimedRoles,
      SignerLocation signerLocation, SignaturePolicy policy, boolean contentTimestamp) {
    this(commitmentTypes, claimedRoles, signerLocation, policy, contentTimestamp, List.of());
  }

  public boolean isEmpty() {
    return equals(NONE);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link SignedAttributes}. Not thread-safe. */
  public static final class Builder {
    private final List<CommitmentType> commitmentTypes = new ArrayList<>();
    private final List<String> claimedRoles = new ArrayList<>();
    private SignerLocation signerLocation;
    private SignaturePolicy policy;
    private boolean contentTimestamp;
    private final List<CustomAttribute> custom = new ArrayList<>();

    private Builder() {}

    public Builder commitment(CommitmentType type) {
      commitmentTypes.add(Objects.requireNonNull(type, "type"));
      return this;
    }

    public Builder claimedRole(String role) {
      claimedRoles.add(Objects.requireNonNull(role, "role").strip());
      return this;
    }

    public Builder signerLocation(SignerLocation location) {
      this.signerLocation = location;
      return this;
    }

    public Builder policy(SignaturePolicy policy) {
      this.policy = policy;
      return this;
    }

    public Builder contentTimestamp(boolean contentTimestamp) {
      this.contentTimestamp = contentTimestamp;
      return this;
    }

    /** Adds one of the application's own attributes ({@link CustomAttribute#cms} or {@link CustomAttribute#xml}). */
    public Builder custom(CustomAttribute attribute) {
      custom.add(Objects.requireNonNull(attribute, "attribute"));
      return this;
    }

    public SignedAttributes build() {
      return new SignedAttributes(commitmentTypes, claimedRoles, signerLocation, policy, contentTimestamp, custom);
    }
  }
}
