package org.opendsm.server.internal.oauth;

import java.util.List;
import org.opendsm.DigestAlgorithm;

/**
 * The parameters of {@code GET /oauth2/authorize} after decoding (CSC credential scope given as
 * query parameters or as RAR authorization_details; both end up here).
 */
public record AuthorizeRequest(String responseType, String clientId, String redirectUri, String scope, String state,
    String codeChallenge, String codeChallengeMethod, String credentialId, Integer numSignatures,
    List<byte[]> digests, DigestAlgorithm hashAlgorithm, String description) {

  public AuthorizeRequest {
    digests = digests == null ? List.of() : List.copyOf(digests);
  }
}
