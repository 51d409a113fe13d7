package org.opendsm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.opendsm.Document;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignatureReport;
import org.opendsm.SignedDocument;
import org.opendsm.TrustSettings;
import org.opendsm.VerificationReport;
import org.opendsm.Verifier;
import org.opendsm.client.DsmClient;
import org.opendsm.client.RemoteSigner;
import org.opendsm.client.ServerTimestampSource;
import org.opendsm.testing.Samples;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The product as a whole, with nothing to set up: starts a reference signing server (free ports,
 * throw-away data directory), registers a demo ASP, enrols a demo user, then signs the bundled
 * PDF (PAdES-B-LTA), PNG (CAdES detached, B-LT) and XML (XAdES enveloped, B-LT) remotely (only
 * hashes travel, each authorised with password + TOTP), verifies them with the server's root as
 * the only trust anchor and prints a table.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Sign and verify sample documents through a throw-away signing server (nothing to set up).")
final class DemoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", defaultValue = "dsm-demo-out", description = "output directory (default: ${DEFAULT-VALUE})")
  Path outDir;

  private record Job(String label, Document input, SignatureFormat format, SignaturePackaging packaging,
      SignatureLevel level) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Files.createDirectories(outDir);
    Path data = Files.createTempDirectory("dsm-demo-server");
    out.println("Starting a reference signing server (CA, TSA, OCSP, CRL; data in " + data + ")...");
    try (RemoteDemo demo = new RemoteDemo(data)) {
      out.println("Signing service: " + demo.server().baseUrl() + "/csc/v2");
      DsmClient client = demo.setUp();
      RemoteSigner signer = demo.signer();
      out.println("Demo user enrolled (password + TOTP); the signing key stays in the server's vault.");
      out.println();
      Path root = outDir.resolve("demo-root.pem");
      Files.writeString(root, Pem.certificate(demo.server().rootCertificate()));
      TrustSettings trust = TrustSettings.builder().addTrustAnchor(demo.server().rootCertificate()).build();
      ServiceSettings settings = ServiceSettings.builder().timestampSource(new ServerTimestampSource(client))
          .trust(trust).build();
      List<Job> jobs = List.of(
          new Job("PDF", Samples.pdf(), SignatureFormat.PADES, SignaturePackaging.ENVELOPED, SignatureLevel.LTA),
          new Job("PNG", Samples.png(), SignatureFormat.CADES, SignaturePackaging.DETACHED, SignatureLevel.LT),
          new Job("XML", Samples.xml(), SignatureFormat.XADES, SignaturePackaging.ENVELOPED, SignatureLevel.LT));
      Verifier verifier = Verifier.create(trust);
      List<String[]> rows = new ArrayList<>();
      boolean allPassed = true;
      for (Job job : jobs) {
        Path input = outDir.resolve(job.input().name());
        job.input().writeTo(input);
        SignedDocument signed = Formats.sign(job.format(), Document.of(input), job.level(), job.packaging(), settings,
            signer);
        Path file = outDir.resolve("signed-" + signed.document().name());
        signed.writeTo(file);
        List<Document> detached = job.packaging() == SignaturePackaging.DETACHED ? List.of(Document.of(input)) : List.of();
        VerificationReport report = verifier.verify(Document.of(file), detached);
        allPassed &= report.allPassed();
        rows.add(row(job.label(), report, file));
      }
      Table.print(out, new String[] {"file", "format", "level", "signer", "indication", "where"}, rows);
      out.println();
      out.println("Only hashes left this process; each signature was authorised with password + TOTP.");
      out.println("Verify again (offline: LT/LTA files carry their validation data):");
      out.println("  ./dsm verify --trust " + root + " --offline " + outDir.resolve("signed-sample.pdf"));
      return allPassed ? ExitCodes.OK : ExitCodes.FAILED;
    } finally {
      deleteTree(data);
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }

  private static String[] row(String label, VerificationReport report, Path file) {
    if (report.signatures().isEmpty()) {
      return new String[] {label, "-", "-", "-", "NO SIGNATURE", file.toString()};
    }
    SignatureReport s = report.signatures().get(0);
    return new String[] {label, s.formatName(), s.level() == null ? "-" : s.level().name(), s.signer(),
        s.indication().name(), file.toString()};
  }
}
