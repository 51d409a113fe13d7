package org.opendsm.server.internal.store;

import java.nio.file.Path;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The shared store: Jdbi over H2 (embedded, file mode) or PostgreSQL, schema by Flyway. All state
 * that several nodes must agree on (SADs, used TOTP steps, lockouts, audit chain, serials) lives
 * here.
 */
public final class Database implements AutoCloseable {
  private static final int POOL_SIZE = 16;
  private final HikariDataSource pool;
  private final Jdbi jdbi;
  private final String url;

  private Database(String url, String user, String password) {
    this.url = url;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setPoolName("opendsm");
    // A pool keeps the embedded database open between requests (H2 would otherwise close and
    // reopen its file on every handle) and saves PostgreSQL a connection set-up per request.
    this.pool = new HikariDataSource(config);
    Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    this.jdbi = Jdbi.create(pool);
  }

  /** The embedded default: an H2 file database under {@code dataDir}. */
  public static Database embedded(Path dataDir) {
    String file = dataDir.toAbsolutePath().resolve("dsm").toString();
    return new Database("jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
        + ";DEFAULT_NULL_ORDERING=HIGH;QUERY_CACHE_SIZE=128", "sa", "");
  }

  /** Any JDBC URL (PostgreSQL for several nodes). */
  public static Database connect(String url, String user, String password) {
    return new Database(Objects.requireNonNull(url, "url"), user, password);
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  /** Closes the pool; the embedded database closes with its last connection. */
  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "Database[" + url.replaceAll(";.*", "") + "]";
  }
}
