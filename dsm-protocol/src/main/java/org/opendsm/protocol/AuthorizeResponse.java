package org.opendsm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer of {@code credentials/authorize} and {@code extendTransaction}. */
public record AuthorizeResponse(@JsonProperty("SAD") String sad, Long expiresIn) {
  @Override
  public String toString() {
    return "AuthorizeResponse[SAD redacted, expiresIn " + expiresIn + "]";
  }
}
