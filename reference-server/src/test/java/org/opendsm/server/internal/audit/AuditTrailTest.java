package org.opendsm.server.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.server.internal.store.Database;

class AuditTrailTest {
  @TempDir Path dir;
  private Database db;
  private AuditTrail audit;

  @BeforeEach
  void setUp() {
    db = Database.embedded(dir);
    audit = new AuditTrail(db.jdbi(), Clock.systemUTC());
    for (int i = 1; i <= 5; i++) {
      audit.append("sign", "client-1", "user-" + i, Map.of("digests", i));
    }
  }

  @Test
  void intactChain_verifies() {
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void modifiedEntry_isNamed() {
    db.jdbi().useHandle(h -> h.execute("UPDATE audit SET subject = 'mallory' WHERE seq = 3"));

    assertThat(audit.verify()).containsExactly(new AuditTrail.Problem(3, "entry 3 was modified"));
  }

  @Test
  void deletedEntry_isNamed() {
    db.jdbi().useHandle(h -> h.execute("DELETE FROM audit WHERE seq = 2"));

    assertThat(audit.verify()).extracting(AuditTrail.Problem::description)
        .containsExactly("entries 2 to 2 are missing", "entry 3 does not follow entry 2 (deleted, reordered or re-linked)");
  }

  @Test
  void reorderedEntries_areDetected() {
    db.jdbi().useHandle(h -> {
      h.execute("UPDATE audit SET seq = 100 WHERE seq = 4");
      h.execute("UPDATE audit SET seq = 4 WHERE seq = 5");
      h.execute("UPDATE audit SET seq = 5 WHERE seq = 100");
    });

    assertThat(audit.verify()).isNotEmpty();
  }
}
