package org.opendsm.server.internal.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.opendsm.server.internal.audit.AuditTrail;

/**
 * Prometheus metrics through Micrometer: request latency histograms per route and status, and
 * one counter per security event type (signatures, authorisations, failures, lockouts), fed by the
 * audit trail so that every audited event is counted and nothing else is. Served to the admin
 * token only.
 */
final class Metrics implements AuditTrail.Listener {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  void request(String method, String path, int status, long nanos) {
    Timer.builder("dsm.http.requests").tag("method", method).tag("route", status == 404 ? "unmatched" : route(path))
        .tag("status", String.valueOf(status)).publishPercentileHistogram()
        .register(registry).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** One password derivation (Argon2id), the dominant cost of an authorisation. */
  void keyDerivation(long nanos) {
    Timer.builder("dsm.password.derivation").description("Argon2id time per password check")
        .publishPercentileHistogram().register(registry).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  @Override
  public void appended(String event, Map<String, ?> details) {
    // No failure reason as a label: it would tell a guesser which factor was wrong.
    Counter.builder("dsm.security.events").tag("event", event).register(registry).increment();
    if ("signature.created".equals(event) && details.get("digests") instanceof List<?> digests) {
      Counter.builder("dsm.signatures").register(registry).increment(digests.size());
    }
  }

  String scrape() {
    return registry.scrape();
  }

  /** Paths with identifiers collapse to their route, so labels stay few. */
  private static String route(String path) {
    return path.replaceAll("^/admin/(users|credentials)/[^/]+", "/admin/$1/{id}");
  }
}
