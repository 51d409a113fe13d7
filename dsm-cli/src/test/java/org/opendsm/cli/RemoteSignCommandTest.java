package org.opendsm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.Document;
import org.opendsm.SignatureLevel;
import org.opendsm.TrustSettings;
import org.opendsm.testing.Samples;
import org.opendsm.testing.SignatureAssertions;

/** {@code dsm sign --server}, run as a user runs it: a separate JVM, factors from the environment. */
class RemoteSignCommandTest {
  @TempDir Path dir;

  @Test
  void signRemotely_atLevelT_withTheServersTsa_isTotalPassed() throws Exception {
    try (RemoteDemo demo = new RemoteDemo(Files.createDirectories(dir.resolve("server")))) {
      demo.setUp();
      Path tls = Files.writeString(dir.resolve("server.pem"), pem(demo.server().tlsCertificate().getEncoded()));
      Path in = Files.write(dir.resolve("contract.pdf"), Samples.bytes("sample.pdf"));
      Path out = dir.resolve("contract-signed.pdf");
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), DsmCommand.class.getName(), "sign",
          "--server", demo.server().baseUrl().toString(), "--client-id", "demo-bank", "--client-secret-env", "DSM_CS",
          "--server-cert", tls.toString(), "--user", "demo-user", "--password-env", "DSM_PW", "--otp-env", "DSM_OTP",
          "--level", "T", in.toString(), out.toString()));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().putAll(Map.of("DSM_CS", demo.clientSecret().reveal(), "DSM_PW", RemoteDemo.PASSWORD,
          "DSM_OTP", demo.nextCode()));
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

      assertThat(p.exitValue()).as(output).isZero();
      assertThat(output).contains("remotely by");
      SignatureAssertions.assertValid(Document.of(out),
          TrustSettings.builder().addTrustAnchor(demo.server().rootCertificate()).build(), SignatureLevel.T);
    }
  }

  private static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }
}
