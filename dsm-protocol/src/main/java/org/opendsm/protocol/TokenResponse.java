package org.opendsm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST oauth2/token}. */
public record TokenResponse(@JsonProperty("access_token") String accessToken,
    @JsonProperty("token_type") String tokenType, @JsonProperty("expires_in") Long expiresIn,
    @JsonProperty("refresh_token") String refreshToken) {
  @Override
  public String toString() {
    return "TokenResponse[redacted, expires_in " + expiresIn + "]";
  }
}
