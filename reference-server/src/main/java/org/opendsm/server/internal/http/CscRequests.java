package org.opendsm.server.internal.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** CSC v2 request bodies (unknown fields are ignored; null means absent). */
final class CscRequests {
  private CscRequests() {}

  record Info(String lang) {}

  record CredentialsList(String userID, Boolean credentialInfo, String certificates, Boolean certInfo,
      Boolean authInfo, Boolean onlyValid, String lang, String clientData) {}

  record CredentialsInfo(String credentialID, String certificates, Boolean certInfo, Boolean authInfo,
      String lang, String clientData) {}

  record AuthData(String id, String value) {
    @Override
    public String toString() {
      return "AuthData[" + id + ", value redacted]";
    }
  }

  record Authorize(String credentialID, Integer numSignatures, List<String> hashes, String hashAlgorithmOID,
      List<AuthData> authData, String description, String clientData) {}

  record ExtendTransaction(String credentialID, @JsonProperty("SAD") String sad, List<String> hashes,
      String hashAlgorithmOID, Integer numSignatures, String clientData) {
    @Override
    public String toString() {
      return "ExtendTransaction[" + credentialID + ", SAD redacted]";
    }
  }

  record Timestamp(String hash, String hashAlgorithmOID, String nonce, String clientData) {}

  record SignHash(String credentialID, @JsonProperty("SAD") String sad, List<String> hashes,
      String hashAlgorithmOID, String signAlgo, String signAlgoParams, String operationMode, String clientData) {
    @Override
    public String toString() {
      return "SignHash[" + credentialID + ", SAD redacted, " + (hashes == null ? 0 : hashes.size()) + " hashes]";
    }
  }
}
