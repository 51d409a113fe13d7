package org.opendsm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Every CSC error: {@code {"error", "error_description"}}. */
public record ErrorResponse(String error, @JsonProperty("error_description") String errorDescription) {}
