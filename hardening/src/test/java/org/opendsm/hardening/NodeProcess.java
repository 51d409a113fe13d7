package org.opendsm.hardening;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.opendsm.testing.TrustingHttp;

/**
 * A node as operators run it: {@code dsm server} in its own JVM, on the shared database, that a
 * test can kill with SIGKILL and start again on the same data directory and ports.
 */
final class NodeProcess implements AutoCloseable {
  private final Path data;
  private final String databaseUrl;
  private final int port;
  private final int pkiPort;
  private Process process;

  NodeProcess(Path data, String databaseUrl) throws IOException {
    this.data = data;
    this.databaseUrl = databaseUrl;
    this.port = freePort();
    this.pkiPort = freePort();
  }

  /** Starts the node and waits until it reports ready. */
  NodeProcess start() throws Exception {
    Files.createDirectories(data);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.opendsm.cli.DsmCommand", "server",
        "--port", Integer.toString(port), "--data", data.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("node.log").toFile()));
    builder.environment().putAll(Cluster.environment(databaseUrl));
    builder.environment().put("DSM_PKI_PORT", Integer.toString(pkiPort));
    process = builder.start();
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("The node exited with " + process.exitValue() + ": " + log());
      }
      if (Files.exists(data.resolve("tls.pem")) && ready()) {
        return this;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("The node did not become ready in 90 s: " + log());
  }

  /** SIGKILL: no shutdown hook, no flush, open transactions cut off. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  URI baseUrl() {
    return URI.create("https://localhost:" + port);
  }

  X509Certificate tlsCertificate() throws Exception {
    try (InputStream in = Files.newInputStream(data.resolve("tls.pem"))) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  Path data() {
    return data;
  }

  private boolean ready() {
    try {
      HttpClient http = TrustingHttp.client(tlsCertificate());
      return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready")).timeout(Duration.ofSeconds(5))
          .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  String log() throws IOException {
    Path log = data.resolve("node.log");
    return Files.exists(log) ? Files.readString(log) : "(no log)";
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
