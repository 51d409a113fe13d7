package org.opendsm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.opendsm.Document;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignatureReport;
import org.opendsm.SignedDocument;
import org.opendsm.VerificationReport;
import org.opendsm.Verifier;
import org.opendsm.testing.Identity;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Signs the bundled sample PDF, PNG and XML in all three formats at B and LTA with a freshly made
 * key (throw-away test PKI, TSA and OCSP responder on loopback), verifies them and prints a table.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Sign and verify sample documents with a throw-away PKI (nothing to set up).")
final class DemoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", defaultValue = "dsm-demo-out", description = "output directory (default: ${DEFAULT-VALUE})")
  Path outDir;

  private static String[] row(String label, VerificationReport report, Path file) {
    if (report.signatures().isEmpty()) {
      return new String[] {label, "-", "-", "NO SIGNATURE", file.toString()};
    }
    SignatureReport s = report.signatures().get(0);
    return new String[] {label, s.formatName(), s.signer(), s.indication().name(), file.toString()};
  }

  private record Job(String label, Document input, SignatureFormat format, SignaturePackaging packaging) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Files.createDirectories(outDir);
    out.println("Starting a throw-away PKI (root CA, issuing CA, TSA, OCSP, CRL) on loopback...");
    try (TestPki pki = TestPki.start()) {
      Identity signer = pki.identity(KeyType.EC_P256);
      Path root = pki.writeRootPem(outDir.resolve("demo-root.pem"));
      out.println("Signer: " + signer.certificate().getSubjectX500Principal().getName() + " (EC P-256)");
      out.println();
      List<Job> jobs = List.of(
          new Job("PDF", Samples.pdf(), SignatureFormat.PADES, SignaturePackaging.ENVELOPED),
          new Job("PNG", Samples.png(), SignatureFormat.CADES, SignaturePackaging.DETACHED),
          new Job("XML", Samples.xml(), SignatureFormat.XADES, SignaturePackaging.ENVELOPED));
      Verifier verifier = Verifier.create(pki.trustSettings());
      List<String[]> rows = new ArrayList<>();
      boolean allPassed = true;
      for (Job job : jobs) {
        Path input = outDir.resolve(job.input().name());
        job.input().writeTo(input);
        for (SignatureLevel level : List.of(SignatureLevel.B, SignatureLevel.LTA)) {
          SignedDocument signed = Formats.sign(job.format(), Document.of(input), level, job.packaging(),
              pki.serviceSettings(), signer.signer());
          Path file = outDir.resolve(level + "-" + signed.document().name());
          signed.writeTo(file);
          List<Document> detached = job.packaging() == SignaturePackaging.DETACHED
              ? List.of(Document.of(input)) : List.of();
          VerificationReport report = verifier.verify(Document.of(file), detached);
          allPassed &= report.allPassed();
          rows.add(row(job.label(), report, file));
        }
      }
      Table.print(out, new String[] {"input", "signature", "signer", "indication", "file"}, rows);
      out.println();
      out.println("Trust anchor written to " + root + ". Verify again with, e.g.:");
      out.println("  ./dsm verify --trust " + root + " --offline " + outDir.resolve("LTA-sample.pdf"));
      return allPassed ? ExitCodes.OK : ExitCodes.FAILED;
    } catch (UncheckedIOException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
