package org.opendsm.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a JMH JSON result file and prints each signing latency as a ratio to its baselines from
 * the same run: {@code Report results.json}.
 */
public final class Report {
  private Report() {}

  public static void main(String[] args) throws Exception {
    JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    Map<String, Map<String, Double>> byInput = new LinkedHashMap<>();
    for (JsonNode r : results) {
      String bench = r.get("benchmark").asText().replaceAll(".*\\.", "");
      String input = r.get("params").get("input").asText();
      byInput.computeIfAbsent(input, k -> new LinkedHashMap<>())
          .put(bench, r.get("primaryMetric").get("score").asDouble());
    }
    System.out.printf("| input | sign level B (ms) | one SHA-256 pass (ms) | sign / hash | raw EC P-256 sign (ms) | sign / raw sign |%n");
    System.out.printf("|---|---:|---:|---:|---:|---:|%n");
    byInput.forEach((input, m) -> {
      double sign = m.getOrDefault("signLevelB", Double.NaN);
      double hash = m.getOrDefault("sha256Pass", Double.NaN);
      double raw = m.getOrDefault("rawSign", Double.NaN);
      System.out.printf("| %s | %.2f | %.2f | %.2fx | %.3f | %.1fx |%n", input, sign, hash, sign / hash, raw, sign / raw);
    });
  }
}
