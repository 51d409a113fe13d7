package org.opendsm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.server.ReferenceServer;
import org.opendsm.server.ServerConfig;

/** {@code dsm admin} against a real server on port 0, reading token and TLS trust from its data directory. */
class AdminCommandTest {
  @TempDir static Path data;
  private static ReferenceServer server;

  @BeforeAll
  static void start() {
    server = ReferenceServer.start(ServerConfig.defaults().withPort(0).withPkiPort(0).withDataDirectory(data));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static DsmCommandTest.Run admin(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "admin";
    all[1] = "--server";
    all[2] = server.baseUrl().toString();
    all[3] = "--data";
    all[4] = data.toString();
    System.arraycopy(args, 0, all, 5, args.length);
    return DsmCommandTest.dsm(all);
  }

  @Test
  void createClientAndUser_printTheSecretAndTheCodeOnce() {
    DsmCommandTest.Run client = admin("create-client", "bank", "--name", "Example Bank",
        "--redirect-uri", "https://bank.example/cb");
    DsmCommandTest.Run user = admin("create-user", "alice", "--name", "Alice Martin");

    assertThat(client.exitCode()).as(client.err()).isZero();
    assertThat(client.out()).contains("\"clientSecret\"");
    assertThat(user.exitCode()).as(user.err()).isZero();
    assertThat(user.out()).contains("\"enrolmentCode\"");
  }

  @Test
  void auditVerify_onAnIntactChain_exitsZero() {
    DsmCommandTest.Run verify = admin("audit-verify");

    assertThat(verify.exitCode()).as(verify.err()).isZero();
    assertThat(verify.out()).contains("\"intact\" : true");
  }

  @Test
  void disableUnknownUser_exitsTwoWithTheServersReason() {
    DsmCommandTest.Run r = admin("disable", "nobody");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("User 'nobody' is not active");
  }

  @Test
  void masterKeyRotation_stageActivateRetire_andTheRefusalsSayWhy() throws Exception {
    DsmCommandTest.Run staged = admin("master-key", "stage");
    assertThat(staged.exitCode()).as(staged.err()).isZero();
    int generation = Integer.parseInt(staged.out().replaceAll("(?s).*\"generation\" : (\\d+).*", "$1"));
    assertThat(staged.out()).contains("Copy master-key.p12");

    DsmCommandTest.Run notYet = admin("master-key", "retire", String.valueOf(generation - 1));
    assertThat(notYet.exitCode()).isEqualTo(2);
    assertThat(notYet.err()).contains("seals new values; activate a newer one first");

    DsmCommandTest.Run activated = admin("master-key", "activate", String.valueOf(generation));
    assertThat(activated.exitCode()).as(activated.err()).isZero();
    while (server.refreshMasterKeys() > 0) {
      // the re-wrap the server's timer does
    }
    DsmCommandTest.Run retired = admin("master-key", "retire", String.valueOf(generation - 1));
    assertThat(retired.exitCode()).as(retired.err()).isZero();
    DsmCommandTest.Run status = admin("master-key", "status");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains("\"current\" : " + generation, "\"state\" : \"retired\"");
    assertThat(org.opendsm.server.internal.vault.MasterKeyRing.loadOrCreate(data.resolve("master-key.p12"),
        org.opendsm.Secret.of(java.nio.file.Files.readString(data.resolve("master-passphrase")).trim()))
        .generations()).containsExactly(generation);
  }

  @Test
  void backup_writesAZipIntoTheDataDirectory() throws Exception {
    DsmCommandTest.Run r = admin("backup");

    assertThat(r.exitCode()).as(r.err()).isZero();
    String file = r.out().replaceAll("(?s).*\"file\" : \"([^\"]+)\".*", "$1");
    assertThat(Path.of(file)).startsWith(data.resolve("backups")).isRegularFile();
    try (var zip = new java.util.zip.ZipFile(file)) {
      assertThat(zip.getEntry("dsm.mv.db")).isNotNull();
    }
  }

  @Test
  void renewals_ofAnUnknownCredential_exitTwo_andOfNothingExpiring_renewNothing() {
    DsmCommandTest.Run unknown = admin("renew-certificate", "no-such-credential");
    DsmCommandTest.Run expiring = admin("renew-expiring", "--days", "30");

    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown credential no-such-credential");
    assertThat(expiring.exitCode()).as(expiring.err()).isZero();
    assertThat(expiring.out()).contains("\"renewed\" : [ ]");
  }
}
