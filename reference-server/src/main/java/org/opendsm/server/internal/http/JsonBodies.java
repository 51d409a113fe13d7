package org.opendsm.server.internal.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Request bodies of the JSON APIs: one JSON object of the expected shape. {@code null}, an array
 * or a bare value is the client's error (400 with the CSC error JSON), as is malformed JSON; the
 * framework's own reader would answer 500 for a body of {@code null}.
 */
final class JsonBodies {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

  private JsonBodies() {}

  /** The body as {@code type}, or a 400 that says what is wrong with it. */
  static <T> T read(Context ctx, Class<T> type) {
    T value;
    try {
      value = JSON.readValue(ctx.bodyAsBytes(), type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw CscException.invalidRequest("Malformed JSON body, or a parameter of the wrong type");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // not from a byte array
    }
    if (value == null) {
      throw CscException.invalidRequest("The request body must be a JSON object");
    }
    return value;
  }
}
