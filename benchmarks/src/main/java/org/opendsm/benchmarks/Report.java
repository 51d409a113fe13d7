package org.opendsm.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a JMH JSON result file and prints each result as a ratio to its baselines from the same
 * run: {@code Report results.json}. Signing latency per input against one hash pass and one raw
 * signature ({@link SigningBenchmark}); raw signatures per second per key type and provider
 * against the JDK's provider ({@link ProviderBaseline}).
 */
public final class Report {
  private Report() {}

  public static void main(String[] args) throws Exception {
    JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    Map<String, Map<String, Double>> byInput = new LinkedHashMap<>();
    Map<String, Map<String, Double>> byKey = new LinkedHashMap<>();
    for (JsonNode r : results) {
      String[] name = r.get("benchmark").asText().split("\\.");
      String bench = name[name.length - 1];
      double score = r.get("primaryMetric").get("score").asDouble();
      JsonNode params = r.get("params");
      if (name[name.length - 2].equals(ProviderBaseline.class.getSimpleName())) {
        byKey.computeIfAbsent(params.get("key").asText(), k -> new LinkedHashMap<>())
            .put(params.get("provider").asText() + "." + bench, score);
      } else {
        byInput.computeIfAbsent(params.get("input").asText(), k -> new LinkedHashMap<>()).put(bench, score);
      }
    }
    if (!byInput.isEmpty()) {
      System.out.printf("| input | sign level B (ms) | one SHA-256 pass (ms) | sign / hash | raw EC P-256 sign (ms) | sign / raw sign |%n");
      System.out.printf("|---|---:|---:|---:|---:|---:|%n");
      byInput.forEach((input, m) -> {
        double sign = m.getOrDefault("signLevelB", Double.NaN);
        double hash = m.getOrDefault("sha256Pass", Double.NaN);
        double raw = m.getOrDefault("rawSign", Double.NaN);
        System.out.printf("| %s | %.2f | %.2f | %.2fx | %.3f | %.1fx |%n", input, sign, hash, sign / hash, raw, sign / raw);
      });
    }
    if (!byKey.isEmpty()) {
      System.out.printf("%n| key | provider | signatures/s | / JDK | verifications/s (server's check) |%n");
      System.out.printf("|---|---|---:|---:|---:|%n");
      byKey.forEach((key, m) -> {
        double jdk = m.getOrDefault("JDK.sign", Double.NaN);
        for (Providers p : Providers.values()) {
          if (m.containsKey(p + ".sign")) {
            System.out.printf("| %s | %s | %.0f | %.2fx | %.0f |%n", key, p, m.get(p + ".sign"), m.get(p + ".sign") / jdk,
                m.getOrDefault(p + ".verify", Double.NaN));
          }
        }
      });
    }
  }
}
