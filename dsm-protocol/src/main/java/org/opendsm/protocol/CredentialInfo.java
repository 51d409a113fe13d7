package org.opendsm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code credentials/info}, and each entry of {@code credentialInfos} in {@code credentials/list}. */
public record CredentialInfo(String credentialID, String description, String signatureQualifier, Key key, Cert cert,
    Auth auth, @JsonProperty("SCAL") String scal, Integer multisign, String lang) {

  /** The key: status, algorithm OIDs, length in bits. */
  public record Key(String status, List<String> algo, Integer len) {}

  /** The certificate: base64 DER chain (signing certificate first) and its details. */
  public record Cert(String status, List<String> certificates, String issuerDN, String serialNumber,
      String subjectDN, String validFrom, String validTo) {}

  /** How the credential is authorised: {@code explicit} (objects PIN, OTP) or {@code oauth2code}. */
  public record Auth(String mode, List<AuthObject> objects) {}

  /** One factor of explicit mode. */
  public record AuthObject(String type, String id, String format, String generator, String label) {}
}
