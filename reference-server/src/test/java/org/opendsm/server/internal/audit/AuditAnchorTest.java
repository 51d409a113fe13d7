package org.opendsm.server.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.DigestAlgorithm;
import org.opendsm.server.internal.ServerFixture;
import org.opendsm.server.internal.pki.PkiServices;

class AuditAnchorTest {
  @TempDir Path dir;

  @Test
  void anchor_timestampsTheChainHead_withTheServerTsa_andRecordsTheToken() throws Exception {
    ServerFixture f = new ServerFixture(dir);
    f.audit.append("test.event", "someone", "something", java.util.Map.of());
    byte[] head = f.audit.head();
    PkiServices pki = new PkiServices(f.db.jdbi(), f.ca, f.audit, f.clock);

    try (AuditAnchor anchor = new AuditAnchor(f.audit, pki, Duration.ofDays(1), Duration.ofDays(1))) {
      TimeStampToken token = new TimeStampToken(new CMSSignedData(anchor.anchor()));

      assertThat(token.getTimeStampInfo().getMessageImprintDigest()).isEqualTo(DigestAlgorithm.SHA256.digest(head));
      token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(f.ca.tsa().certificate()));
    }
    int anchors = f.db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit WHERE event = 'audit.anchored'")
        .mapTo(Integer.class).one());
    assertThat(anchors).isGreaterThanOrEqualTo(1);
    assertThat(f.audit.verify()).isEmpty();
  }
}
