package org.opendsm.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.opendsm.Secret;

/**
 * How to run the reference server. Everything has an embedded default (H2 and the software vault
 * under the data directory, HTTPS with a generated certificate); production settings come from the
 * environment ({@link #fromEnvironment}).
 *
 * @param host the address to bind (default 127.0.0.1)
 * @param port HTTPS port; 0 picks a free one (tests)
 * @param pkiPort plain-HTTP port for OCSP, CRLs, CA certificates and the TSA, as certificates
 *     point to them (relying parties fetch these over HTTP); 0 picks a free one, -1 disables
 * @param dataDirectory H2 database, master key and TLS key store live here
 * @param publicUrl the base URL of the PKI services written into certificates (AIA, CRL, OCSP);
 *     default {@code http://localhost:PKI_PORT}
 * @param masterPassphrase protects the master key file; generated into the data directory if absent
 * @param adminToken bearer token of the admin API; generated into the data directory if absent
 * @param jdbcUrl PostgreSQL (or other) JDBC URL; {@code null} = embedded H2
 * @param jdbcUser JDBC user
 * @param jdbcPassword JDBC password
 * @param issuer the OpenID Connect issuer: the HTTPS base URL relying parties know this service by;
 *     default {@code https://localhost:PORT}
 * @param minFreeDiskBytes embedded database only: the free space kept on the data directory's file
 *     system; below it every call that needs the database gets 503 until space returns, so H2
 *     never writes to a full disk (default 16 MiB; 0 turns it off)
 */
public record ServerConfig(String host, int port, int pkiPort, Path dataDirectory, String publicUrl, Secret masterPassphrase,
    Secret adminToken, String jdbcUrl, String jdbcUser, Secret jdbcPassword, String issuer, long minFreeDiskBytes) {

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535: " + port);
    }
    if (pkiPort < -1 || pkiPort > 65535) {
      throw new IllegalArgumentException("pkiPort must be -1 to 65535: " + pkiPort);
    }
    if (minFreeDiskBytes < 0) {
      throw new IllegalArgumentException("minFreeDiskBytes cannot be negative: " + minFreeDiskBytes);
    }
  }

  /** Embedded defaults: loopback, HTTPS port 8443, PKI on HTTP port 8080, ./dsm-data. */
  public static ServerConfig defaults() {
    return new ServerConfig("127.0.0.1", 8443, 8080, Path.of("dsm-data"), null, null, null, null, null, null, null,
        16L << 20);
  }

  /**
   * Overrides from the environment: DSM_HOST, DSM_PORT, DSM_PKI_PORT, DSM_DATA, DSM_PUBLIC_URL,
   * DSM_MASTER_PASSPHRASE, DSM_ADMIN_TOKEN, DSM_JDBC_URL, DSM_JDBC_USER, DSM_JDBC_PASSWORD, DSM_ISSUER,
   * DSM_MIN_FREE_DISK_MB.
   */
  public ServerConfig fromEnvironment(Map<String, String> env) {
    return new ServerConfig(env.getOrDefault("DSM_HOST", host),
        env.containsKey("DSM_PORT") ? Integer.parseInt(env.get("DSM_PORT")) : port,
        env.containsKey("DSM_PKI_PORT") ? Integer.parseInt(env.get("DSM_PKI_PORT")) : pkiPort,
        env.containsKey("DSM_DATA") ? Path.of(env.get("DSM_DATA")) : dataDirectory,
        env.getOrDefault("DSM_PUBLIC_URL", publicUrl),
        env.containsKey("DSM_MASTER_PASSPHRASE") ? Secret.of(env.get("DSM_MASTER_PASSPHRASE")) : masterPassphrase,
        env.containsKey("DSM_ADMIN_TOKEN") ? Secret.of(env.get("DSM_ADMIN_TOKEN")) : adminToken,
        env.getOrDefault("DSM_JDBC_URL", jdbcUrl), env.getOrDefault("DSM_JDBC_USER", jdbcUser),
        env.containsKey("DSM_JDBC_PASSWORD") ? Secret.of(env.get("DSM_JDBC_PASSWORD")) : jdbcPassword,
        env.getOrDefault("DSM_ISSUER", issuer),
        env.containsKey("DSM_MIN_FREE_DISK_MB") ? Long.parseLong(env.get("DSM_MIN_FREE_DISK_MB")) << 20
            : minFreeDiskBytes);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, pkiPort, dataDirectory, publicUrl, masterPassphrase, adminToken, jdbcUrl, jdbcUser,
        jdbcPassword, issuer, minFreeDiskBytes);
  }

  public ServerConfig withPkiPort(int newPkiPort) {
    return new ServerConfig(host, port, newPkiPort, dataDirectory, publicUrl, masterPassphrase, adminToken, jdbcUrl,
        jdbcUser, jdbcPassword, issuer, minFreeDiskBytes);
  }

  public ServerConfig withDataDirectory(Path dir) {
    return new ServerConfig(host, port, pkiPort, dir, publicUrl, masterPassphrase, adminToken, jdbcUrl, jdbcUser, jdbcPassword,
        issuer, minFreeDiskBytes);
  }

  public ServerConfig withAdminToken(Secret token) {
    return new ServerConfig(host, port, pkiPort, dataDirectory, publicUrl, masterPassphrase, token, jdbcUrl, jdbcUser,
        jdbcPassword, issuer, minFreeDiskBytes);
  }

  /** With another free-space reserve for the embedded database (bytes; 0 turns it off). */
  public ServerConfig withMinFreeDiskBytes(long bytes) {
    return new ServerConfig(host, port, pkiPort, dataDirectory, publicUrl, masterPassphrase, adminToken, jdbcUrl,
        jdbcUser, jdbcPassword, issuer, bytes);
  }
}
