package org.opendsm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.util.Map;

/** The reference server's admin JSON API as tests call it: a POST with the admin token, 2xx or fail. */
public final class AdminApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final String token;
  private final HttpClient http;

  public AdminApi(URI base, X509Certificate tlsCertificate, String token) {
    this.base = base;
    this.token = token;
    this.http = TrustingHttp.client(tlsCertificate);
  }

  /** POSTs {@code body} as JSON to {@code path}; the answer's JSON, or an AssertionError naming what came back. */
  public JsonNode post(String path, Map<String, ?> body) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError(path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(path + " interrupted", e);
    }
  }
}
