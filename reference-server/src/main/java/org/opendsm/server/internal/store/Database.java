package org.opendsm.server.internal.store;

import java.nio.file.Path;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The shared store: Jdbi over H2 (embedded, file mode) or PostgreSQL, schema by Flyway. All state
 * that several nodes must agree on (SADs, used TOTP steps, lockouts, audit chain, serials) lives
 * here.
 */
public final class Database {
  private final Jdbi jdbi;
  private final String url;

  private Database(String url, String user, String password) {
    this.url = url;
    Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration")
        .load().migrate();
    this.jdbi = Jdbi.create(url, user, password);
  }

  /** The embedded default: an H2 file database under {@code dataDir}. */
  public static Database embedded(Path dataDir) {
    String file = dataDir.toAbsolutePath().resolve("dsm").toString();
    return new Database("jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
        + ";DEFAULT_NULL_ORDERING=HIGH", "sa", "");
  }

  /** Any JDBC URL (PostgreSQL for several nodes). */
  public static Database connect(String url, String user, String password) {
    return new Database(Objects.requireNonNull(url, "url"), user, password);
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  @Override
  public String toString() {
    return "Database[" + url.replaceAll(";.*", "") + "]";
  }
}
