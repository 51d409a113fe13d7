package org.opendsm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST signatures/signHash}; {@code SAD} may be absent when a credential token is the bearer. */
public record SignHashRequest(String credentialID, @JsonProperty("SAD") String sad, List<String> hashes,
    String hashAlgorithmOID, String signAlgo, String signAlgoParams, String clientData) {
  @Override
  public String toString() {
    return "SignHashRequest[" + credentialID + ", SAD redacted, " + (hashes == null ? 0 : hashes.size()) + " hashes]";
  }
}
