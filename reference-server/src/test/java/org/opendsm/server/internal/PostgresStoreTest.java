package org.opendsm.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opendsm.DigestAlgorithm;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.server.internal.accounts.AuthenticationException;
import org.opendsm.server.internal.signing.SigningRefused;
import org.opendsm.server.internal.signing.SigningService;
import org.opendsm.server.internal.store.Database;
import org.opendsm.server.internal.vault.KeySpec;
import org.opendsm.testing.ExternalTools;

/**
 * The same store on a real PostgreSQL (started by .ci/run, URL in DSM_TEST_PG_URL): migrations,
 * the two-factor and SAD rules, and atomic digest consumption under concurrent signHash calls.
 */
@Tag("postgres")
class PostgresStoreTest {
  private ServerFixture f;
  private SigningService signing;

  @BeforeEach
  void setUp() {
    String url = System.getenv("DSM_TEST_PG_URL");
    if (url == null) {
      ExternalTools.skipOrFail("No PostgreSQL: run .ci/pg-start.sh and export DSM_TEST_PG_URL=jdbc:postgresql://127.0.0.1:55432/dsm");
    }
    Jdbi.create(url, "dsm", "dsm").useHandle(h -> h.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public"));
    f = new ServerFixture(Database.connect(url, "dsm", "dsm"));
    signing = new SigningService(f.db.jdbi(), f.accounts, f.vault, f.audit, f.clock);
  }

  @Test
  void enrolAuthorizeSign_onPostgres() throws Exception {
    byte[] seed = f.enrol("alice", KeySpec.EC_P256);
    String credential = f.accounts.credentials("alice").get(0).id();
    byte[] digest = DigestAlgorithm.SHA256.digest(new byte[] {42});

    var auth = signing.authorize("bank", "alice", credential, ServerFixture.PASSWORD, f.code(seed),
        DigestAlgorithm.SHA256, List.of(digest));

    assertThat(signing.signHash("bank", "alice", credential, auth.sad(), SignatureAlgorithm.ECDSA_SHA256, List.of(digest)))
        .hasSize(1);
    assertThat(f.audit.verify()).isEmpty();
  }

  @Test
  void replayedTotp_isRefusedOnPostgres() throws Exception {
    byte[] seed = f.enrol("alice", KeySpec.EC_P256);
    String code = f.code(seed);
    f.accounts.authenticate("alice", ServerFixture.PASSWORD, code, "t").close();

    assertThat(org.assertj.core.api.Assertions.catchThrowable(
        () -> f.accounts.authenticate("alice", ServerFixture.PASSWORD, code, "t")))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void concurrentSignHash_consumesEachDigestExactlyOnce() throws Exception {
    byte[] seed = f.enrol("alice", KeySpec.EC_P256);
    String credential = f.accounts.credentials("alice").get(0).id();
    byte[] digest = DigestAlgorithm.SHA256.digest(new byte[] {1});
    var auth = signing.authorize("bank", "alice", credential, ServerFixture.PASSWORD, f.code(seed),
        DigestAlgorithm.SHA256, List.of(digest));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Boolean>> attempts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Callable<Boolean> attempt = () -> {
        try {
          signing.signHash("bank", "alice", credential, auth.sad(), SignatureAlgorithm.ECDSA_SHA256, List.of(digest));
          return true;
        } catch (SigningRefused e) {
          return false;
        }
      };
      attempts.add(pool.submit(attempt));
    }
    int succeeded = 0;
    for (Future<Boolean> a : attempts) {
      succeeded += a.get() ? 1 : 0;
    }
    pool.shutdown();

    assertThat(succeeded).isEqualTo(1);
    int records = f.db.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM audit WHERE event = 'signature.created'").mapTo(Integer.class).one());
    assertThat(records).isEqualTo(1);
    assertThat(f.audit.verify()).isEmpty();
  }
}
