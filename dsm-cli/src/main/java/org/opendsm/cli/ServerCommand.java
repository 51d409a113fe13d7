package org.opendsm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "server", mixinStandardHelpOptions = true,
    description = {"Run the reference signing server (HTTPS, CSC API v2).",
        "Embedded defaults: H2 database, software vault, CA and TLS certificate under the data directory.",
        "Environment: DSM_HOST, DSM_PUBLIC_URL, DSM_MASTER_PASSPHRASE, DSM_ADMIN_TOKEN, DSM_JDBC_URL, DSM_JDBC_USER,"
            + " DSM_JDBC_PASSWORD, DSM_ISSUER, DSM_MIN_FREE_DISK_MB, DSM_PKCS11_LIBRARY, DSM_PKCS11_SLOT_INDEX, DSM_PKCS11_PIN."})
final class ServerCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "8443", description = "HTTPS port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--data", defaultValue = "dsm-data", description = "data directory (default: ${DEFAULT-VALUE})")
  Path data;

  @Option(names = "--config", paramLabel = "FILE",
      description = "properties file with the same keys as the environment (DSM_JDBC_URL=...); the environment wins")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    ServerConfig config = ServerConfig.defaults();
    if (configFile != null) {
      java.util.Properties p = new java.util.Properties();
      try (var in = java.nio.file.Files.newBufferedReader(configFile)) {
        p.load(in);
      }
      java.util.Map<String, String> fromFile = new java.util.HashMap<>();
      p.stringPropertyNames().forEach(k -> fromFile.put(k, p.getProperty(k)));
      config = config.fromEnvironment(fromFile);
    }
    config = config.fromEnvironment(System.getenv()).withPort(port).withDataDirectory(data);
    ReferenceServer server = ReferenceServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "dsm-server-shutdown"));
    var out = spec.commandLine().getOut();
    out.println("OpenDSM reference server listening on " + server.baseUrl());
    out.println("  CSC API:     " + server.baseUrl() + "/csc/v2/info");
    out.println("  OpenID:      " + server.baseUrl() + "/.well-known/openid-configuration");
    out.println("  data:        " + data.toAbsolutePath());
    // Public certificates, for applications to trust: the TLS certificate and the CA's root.
    java.nio.file.Files.writeString(data.resolve("tls.pem"), Pem.certificate(server.tlsCertificate()));
    java.nio.file.Files.writeString(data.resolve("root.pem"), Pem.certificate(server.rootCertificate()));
    out.println("  trust:       " + data.toAbsolutePath().resolve("tls.pem") + " (TLS), "
        + data.toAbsolutePath().resolve("root.pem") + " (signatures)");
    if (System.getenv("DSM_ADMIN_TOKEN") == null) {
      out.println("  admin token: " + data.toAbsolutePath().resolve("admin-token") + " (file, mode 600)");
    }
    out.println("Stop with Ctrl-C.");
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }
}
