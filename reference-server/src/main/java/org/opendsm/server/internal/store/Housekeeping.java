package org.opendsm.server.internal.store;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.opendsm.server.internal.crypto.Totp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what has expired (login-page requests, authorization codes, access and refresh tokens,
 * SADs and their digests, TOTP steps that can no longer match) so unauthenticated requests cannot
 * grow the database without bound. Any node may run it; the deletes are idempotent.
 */
public final class Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
  private final Jdbi jdbi;
  private final Clock clock;
  private final ScheduledExecutorService timer;

  public Housekeeping(Jdbi jdbi, Clock clock, Duration every) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dsm-housekeeping");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::runQuietly, every.toSeconds(), every.toSeconds(), TimeUnit.SECONDS);
  }

  /** One pass; returns the number of rows deleted. */
  public int run() {
    long now = clock.millis();
    long oldStep = Totp.step(clock.instant()) - 2;
    return jdbi.inTransaction(h -> {
      int n = h.createUpdate("DELETE FROM oauth_requests WHERE expires_at <= :now").bind("now", now).execute();
      n += h.createUpdate("DELETE FROM auth_codes WHERE expires_at <= :now").bind("now", now).execute();
      n += h.createUpdate("DELETE FROM access_tokens WHERE expires_at <= :now").bind("now", now).execute();
      n += h.createUpdate("DELETE FROM refresh_tokens WHERE expires_at <= :now").bind("now", now).execute();
      n += h.createUpdate("DELETE FROM sessions WHERE expires_at <= :now").bind("now", now).execute();
      n += h.createUpdate("DELETE FROM sad_digests WHERE sad_id IN (SELECT id FROM sads WHERE expires_at <= :now)")
          .bind("now", now).execute();
      n += h.createUpdate("DELETE FROM sads WHERE expires_at <= :now").bind("now", now).execute();
      n += h.createUpdate("DELETE FROM totp_used_steps WHERE step < :s").bind("s", oldStep).execute();
      return n;
    });
  }

  private void runQuietly() {
    try {
      int n = run();
      if (n > 0) {
        LOG.info("Housekeeping removed {} expired rows", n);
      }
    } catch (RuntimeException e) {
      LOG.warn("Housekeeping failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
