package org.opendsm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code info}: what the service is and offers. */
public record InfoResponse(String specs, String name, String logo, String region, String lang, String description,
    List<String> authType, String oauth2, List<String> methods, SignAlgorithms signAlgorithms,
    @JsonProperty("signature_formats") SignatureFormats signatureFormats) {

  /** The signature algorithms (OIDs) signHash accepts. */
  public record SignAlgorithms(List<String> algos) {}

  /** The AdES formats the service knows: {@code C} (CAdES), {@code X} (XAdES), {@code P} (PAdES). */
  public record SignatureFormats(List<String> formats) {}
}
