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

  /** An answer of the admin API: its status and JSON body. */
  public record Answer(int status, JsonNode body) {}

  /** POSTs {@code body} as JSON to {@code path}; the answer's JSON, or an AssertionError naming what came back. */
  public JsonNode post(String path, Map<String, ?> body) {
    return ok(path, send("POST", path, body));
  }

  /** GETs {@code path}; the answer's JSON, or an AssertionError naming what came back. */
  public JsonNode get(String path) {
    return ok(path, send("GET", path, null));
  }

  private static JsonNode ok(String path, Answer a) {
    if (a.status() / 100 != 2) {
      throw new AssertionError(path + " answered " + a.status() + ": " + a.body());
    }
    return a.body();
  }

  /** Sends a request ({@code body} null for none) and returns the answer whatever its status. */
  public Answer send(String method, String path, Map<String, ?> body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
      b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
          : b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
    } catch (IOException e) {
      throw new AssertionError(path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(path + " interrupted", e);
    }
  }
}
