package org.opendsm.server.internal.store;

import java.nio.file.Files;
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
  private static final long CONNECTION_TIMEOUT_MILLIS = 3000;
  private final HikariDataSource pool;
  private final Jdbi jdbi;
  private final String url;
  /** The embedded database's directory, watched for free space; null for a database server. */
  private final Path watched;
  private final long minFreeBytes;

  /** The default reserve of the embedded database's file system (see {@link #embedded(Path, long)}). */
  public static final long DEFAULT_MIN_FREE_BYTES = 16L << 20;

  private Database(String url, String user, String password, Path watched, long minFreeBytes) {
    this.url = url;
    this.watched = watched;
    this.minFreeBytes = minFreeBytes;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setPoolName("opendsm");
    // While the database is down a request fails after this long with 503, instead of holding
    // its client (and a server thread) for Hikari's default 30 s.
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    config.setExceptionOverrideClassName(EvictBrokenConnections.class.getName());
    if (url.startsWith("jdbc:postgresql:")) {
      // A query on a connection whose server vanished (no reset, no reply) fails after this long
      // instead of holding its request forever.
      config.addDataSourceProperty("socketTimeout", "30");
    }
    // A pool keeps the embedded database open between requests (H2 would otherwise close and
    // reopen its file on every handle) and saves PostgreSQL a connection set-up per request.
    this.pool = new HikariDataSource(config);
    Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    this.jdbi = watched == null || minFreeBytes <= 0 ? Jdbi.create(pool) : Jdbi.create(this::guardedConnection);
  }

  /**
   * A connection, unless the data directory's file system is down to its reserve: then the node
   * answers 503 before H2 ever meets a full disk. (H2 under ENOSPC has been seen to keep part of a
   * failed transaction, see DiskFullTest; with the reserve it is not asked to write then.)
   */
  private java.sql.Connection guardedConnection() throws java.sql.SQLException {
    long free;
    try {
      free = Files.getFileStore(watched).getUsableSpace();
    } catch (java.io.IOException e) {
      throw new java.sql.SQLTransientConnectionException("Cannot read the free space of " + watched, "53100", e);
    }
    if (free < minFreeBytes) {
      throw new java.sql.SQLTransientConnectionException("The data directory's file system has " + free
          + " bytes free, below its reserve of " + minFreeBytes + ": refusing database work until space returns",
          "53100");
    }
    return pool.getConnection();
  }

  /**
   * The embedded default: an H2 file database under {@code dataDir}. {@code WRITE_DELAY=0} makes
   * every commit reach the file before it returns (H2 otherwise keeps commits in memory for up to
   * half a second): a signature is never returned whose audit record a killed process or a full
   * disk could still lose. (An operating-system crash can: H2 does not fsync; use PostgreSQL.)
   */
  public static Database embedded(Path dataDir) {
    return embedded(dataDir, DEFAULT_MIN_FREE_BYTES);
  }

  /**
   * As {@link #embedded(Path)}, keeping {@code minFreeBytes} free on the data directory's file
   * system: below that, every database call fails as unavailable (503) until space returns. 0
   * turns the reserve off.
   */
  public static Database embedded(Path dataDir, long minFreeBytes) {
    if (minFreeBytes < 0) {
      throw new IllegalArgumentException("The free-space reserve cannot be negative: " + minFreeBytes);
    }
    String file = dataDir.toAbsolutePath().resolve("dsm").toString();
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot create the data directory " + dataDir, e);
    }
    return new Database("jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
        + ";DEFAULT_NULL_ORDERING=HIGH;QUERY_CACHE_SIZE=128;WRITE_DELAY=0", "sa", "", dataDir, minFreeBytes);
  }

  /** Any JDBC URL (PostgreSQL for several nodes). */
  public static Database connect(String url, String user, String password) {
    return new Database(Objects.requireNonNull(url, "url"), user, password, null, 0);
  }

  /**
   * Whether {@code failure} says the database cannot be reached or cannot write just now (its
   * server stopped or restarting, the pool out of connections, the disk full) rather than that
   * the request or the code is wrong: the request may succeed later, and nothing of it was
   * committed.
   */
  public static boolean unavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.sql.SQLNonTransientConnectionException
          || t instanceof org.jdbi.v3.core.ConnectionException) {
        return true;
      }
      if (t instanceof java.sql.SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        // 08: connection exception; 57P01-03: the server shutting down or starting; 53: out of
        // resources (53100 disk full); H2 90028/90098: its file cannot be written.
        if (state.startsWith("08") || state.startsWith("57P0") || state.startsWith("53")
            || e.getErrorCode() == 90028 || e.getErrorCode() == 90098) {
          return true;
        }
      }
      if (t instanceof java.io.IOException && String.valueOf(t.getMessage()).contains("No space left")) {
        return true;
      }
    }
    return false;
  }

  /**
   * An online, consistent copy of the embedded database in {@code directory} (H2's {@code BACKUP
   * TO}: a zip holding {@code dsm.mv.db}); requests go on meanwhile. Restore it by unpacking it
   * into a new data directory beside the node's {@code master-key.p12} and {@code tls.p12}.
   *
   * @throws UnsupportedOperationException for PostgreSQL, which its own tools back up (pg_dump)
   */
  public Path backup(Path directory) {
    if (!url.startsWith("jdbc:h2:")) {
      throw new UnsupportedOperationException("The server's database is PostgreSQL: back it up with pg_dump"
          + " (and keep master-key.p12, tls.p12 and the master passphrase apart from it)");
    }
    try {
      Files.createDirectories(directory);
      restrict(directory, "rwx------");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot create " + directory, e);
    }
    String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
    Path file = directory.toAbsolutePath().resolve("dsm-" + stamp + ".zip");
    jdbi.useHandle(h -> h.execute("BACKUP TO '" + file.toString().replace("'", "''") + "'"));
    try {
      restrict(file, "rw-------");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot restrict " + file, e);
    }
    return file;
  }

  /** Owner-only permissions where the file system has POSIX permissions. */
  private static void restrict(Path path, String permissions) throws java.io.IOException {
    if (Files.getFileStore(path).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
    }
  }

  /**
   * What an operator needs to know about a database failure, without its message (a driver's
   * message may quote a statement's arguments): the SQL state and vendor code of the first
   * SQLException in the chain, or the exception's type.
   */
  public static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.sql.SQLException e) {
        return e.getClass().getSimpleName() + " SQLState " + e.getSQLState() + " code " + e.getErrorCode();
      }
    }
    return failure.getClass().getSimpleName();
  }

  /** Whether {@code failure} is a unique-key violation (SQLState 23505 in PostgreSQL and H2). */
  public static boolean duplicateKey(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.sql.SQLException e && "23505".equals(e.getSQLState())) {
        return true;
      }
    }
    return false;
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
