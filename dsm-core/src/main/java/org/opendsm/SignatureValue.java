package org.opendsm;

import java.util.Objects;

/**
 * A signature value made by a {@link Signer} over the digest of the data to be signed.
 *
 * @param algorithm how it was made
 * @param value the raw value (ECDSA: DER-encoded), copied in and out
 */
public record SignatureValue(SignatureAlgorithm algorithm, byte[] value) {
  public SignatureValue {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(value, "value");
    if (value.length == 0) {
      throw new IllegalArgumentException("value must not be empty");
    }
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignatureValue other
        && algorithm == other.algorithm
        && java.util.Arrays.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return 31 * algorithm.hashCode() + java.util.Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "SignatureValue[" + algorithm + ", " + value.length + " bytes]";
  }
}
