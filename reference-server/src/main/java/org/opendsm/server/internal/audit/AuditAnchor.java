package org.opendsm.server.internal.audit;

import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.opendsm.DigestAlgorithm;
import org.opendsm.server.internal.pki.PkiServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timestamps the audit chain head with the TSA at start and then periodically, and records the
 * token as an audit entry: whoever keeps the tokens can later prove the chain up to that point
 * existed unchanged at that time, even against someone rewriting the whole table.
 */
public final class AuditAnchor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditAnchor.class);
  private final AuditTrail audit;
  private final PkiServices pki;
  private final ScheduledExecutorService timer;

  public AuditAnchor(AuditTrail audit, PkiServices pki, Duration every) {
    this(audit, pki, Duration.ZERO, every);
  }

  public AuditAnchor(AuditTrail audit, PkiServices pki, Duration firstAfter, Duration every) {
    this.audit = audit;
    this.pki = pki;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dsm-audit-anchor");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::anchorQuietly, firstAfter.toSeconds(), every.toSeconds(), TimeUnit.SECONDS);
  }

  /** Timestamps the current head now; returns the token (DER). */
  public byte[] anchor() throws Exception {
    byte[] head = audit.head();
    byte[] imprint = DigestAlgorithm.SHA256.digest(head);
    var request = new TimeStampRequestGenerator().generate(new ASN1ObjectIdentifier(DigestAlgorithm.SHA256.oid()), imprint);
    byte[] token = new TimeStampResponse(pki.timestamp(request.getEncoded())).getTimeStampToken().getEncoded();
    audit.append("audit.anchored", "system", "audit", Map.of("head", HexFormat.of().formatHex(head),
        "timestampToken", Base64.getEncoder().encodeToString(token)));
    return token;
  }

  private void anchorQuietly() {
    try {
      anchor();
    } catch (Exception e) {
      LOG.warn("Could not timestamp the audit chain head: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
