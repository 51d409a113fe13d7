package org.opendsm.server.internal.oauth;

import java.util.List;
import org.opendsm.DigestAlgorithm;

/**
 * The parameters of {@code GET /oauth2/authorize} after decoding (CSC credential scope given as
 * query parameters or as RAR authorization_details; both end up here), with the OpenID Connect
 * ones: {@code nonce}, {@code prompt} and {@code max_age} (seconds). {@code labels} name the
 * documents beside their digests (RAR {@code documentDigests[].label}); empty when not given.
 */
public record AuthorizeRequest(String responseType, String clientId, String redirectUri, String scope, String state,
    String codeChallenge, String codeChallengeMethod, String credentialId, Integer numSignatures,
    List<byte[]> digests, DigestAlgorithm hashAlgorithm, String description, String nonce, String prompt,
    Long maxAge, List<String> labels) {

  public AuthorizeRequest {
    digests = digests == null ? List.of() : List.copyOf(digests);
    labels = labels == null ? List.of() : List.copyOf(labels);
  }

  /** A plain OAuth2 / CSC request. */
  public AuthorizeRequest(String responseType, String clientId, String redirectUri, String scope, String state,
      String codeChallenge, String codeChallengeMethod, String credentialId, Integer numSignatures,
      List<byte[]> digests, DigestAlgorithm hashAlgorithm, String description) {
    this(responseType, clientId, redirectUri, scope, state, codeChallenge, codeChallengeMethod, credentialId,
        numSignatures, digests, hashAlgorithm, description, null, null, null, List.of());
  }
}
