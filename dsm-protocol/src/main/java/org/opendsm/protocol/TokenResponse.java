package org.opendsm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST oauth2/token}; {@code id_token} for an OpenID Connect login. */
public record TokenResponse(@JsonProperty("access_token") String accessToken,
    @JsonProperty("token_type") String tokenType, @JsonProperty("expires_in") Long expiresIn,
    @JsonProperty("refresh_token") String refreshToken, @JsonProperty("id_token") String idToken) {

  /** A token response without an ID token (OAuth2, CSC). */
  public TokenResponse(String accessToken, String tokenType, Long expiresIn, String refreshToken) {
    this(accessToken, tokenType, expiresIn, refreshToken, null);
  }

  @Override
  public String toString() {
    return "TokenResponse[redacted, expires_in " + expiresIn + "]";
  }
}
