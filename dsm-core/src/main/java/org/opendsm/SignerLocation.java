package org.opendsm;

/**
 * Where the signer claims to have signed (signer-location in CAdES, SignatureProductionPlaceV2 in
 * XAdES). Each part is optional but at least one is given.
 *
 * @param country ISO 3166 country code or name, e.g. {@code LU}
 * @param locality city or town
 * @param postalCode postal code
 * @param streetAddress street and number
 */
public record SignerLocation(String country, String locality, String postalCode, String streetAddress) {
  public SignerLocation {
    country = blankToNull(country);
    locality = blankToNull(locality);
    postalCode = blankToNull(postalCode);
    streetAddress = blankToNull(streetAddress);
    if (country == null && locality == null && postalCode == null && streetAddress == null) {
      throw new IllegalArgumentException("A signer location needs at least a country, locality, postal code or street");
    }
  }

  /** A location of country and locality only. */
  public static SignerLocation of(String country, String locality) {
    return new SignerLocation(country, locality, null, null);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
