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
 * one counter per security event (signatures, authorisations, failures by reason), fed by the
 * audit trail so that every audited event is counted and nothing else is.
 */
final class Metrics implements AuditTrail.Listener {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  void request(String method, String path, int status, long nanos) {
    Timer.builder("dsm.http.requests").tag("method", method).tag("route", route(path))
        .tag("status", String.valueOf(status)).publishPercentileHistogram()
        .register(registry).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  @Override
  public void appended(String event, Map<String, ?> details) {
    Object reason = details.get("reason");
    Counter.builder("dsm.security.events").tag("event", event).tag("reason", reason == null ? "" : reason.toString())
        .register(registry).increment();
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
