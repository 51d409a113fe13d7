package org.opendsm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST credentials/extendTransaction}: a new SAD for new hashes. */
public record ExtendTransactionRequest(String credentialID, @JsonProperty("SAD") String sad, List<String> hashes,
    String hashAlgorithmOID, Integer numSignatures, String clientData) {
  @Override
  public String toString() {
    return "ExtendTransactionRequest[" + credentialID + ", SAD redacted]";
  }
}
