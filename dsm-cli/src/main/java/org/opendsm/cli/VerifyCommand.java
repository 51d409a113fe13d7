package org.opendsm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.opendsm.Document;
import org.opendsm.SignatureReport;
import org.opendsm.TrustSettings;
import org.opendsm.VerificationReport;
import org.opendsm.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Validate every signature in a document.",
        "Exit 0 when every signature is TOTAL_PASSED, 1 when any is not (or there is none), 2 on bad input."})
final class VerifyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "signed document (PDF, XML, .p7m, .p7s)")
  Path in;

  @Option(names = "--detached", paramLabel = "CONTENT", description = "signed content of a detached signature")
  List<Path> detached = new ArrayList<>();

  @Option(names = "--trust", paramLabel = "CERT.pem", description = "trust anchor (PEM or DER); repeatable")
  List<Path> trust = new ArrayList<>();

  @Option(names = "--offline", description = "do not fetch OCSP, CRL or certificates over the network")
  boolean offline;

  @Option(names = "--password-env", paramLabel = "VAR",
      description = "environment variable holding the open password of an encrypted PDF")
  String passwordEnv;

  @Option(names = "--json", description = "print the report as JSON")
  boolean json;

  @Option(names = "--html", paramLabel = "FILE", description = "write DSS's full report as a standalone HTML page")
  Path html;

  @Override
  public Integer call() {
    TrustSettings.Builder settings = TrustSettings.builder().onlineRevocation(!offline);
    trust.forEach(settings::addTrustAnchors);
    List<Document> contents = new ArrayList<>();
    detached.forEach(p -> contents.add(Document.of(p)));
    Verifier verifier = Verifier.create(settings.build());
    if (passwordEnv != null) {
      verifier = verifier.withDocumentPassword(org.opendsm.Secret.of(
          Environment.require(passwordEnv, "the PDF's open password")));
    }
    VerificationReport report = verifier.verify(Document.of(in), contents);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(report.toJson());
    } else {
      print(report, out);
    }
    if (html != null) {
      write(html, report.html());
    }
    return report.allPassed() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private static void print(VerificationReport report, PrintWriter out) {
    report.timestamps().forEach(t -> out.printf("timestamp %s: %s at %s by %s: %s%n", t.id(), t.type(),
        t.productionTime(), t.producedBy() == null ? null : oneLine(t.producedBy()), t.indication()));
    if (report.signatures().isEmpty()) {
      out.println(report.documentName() + ": no signature found");
      return;
    }
    for (SignatureReport s : report.signatures()) {
      out.printf("%s: %s%n", s.id(), s.indication() + (s.subIndication() == null ? "" : " / " + s.subIndication()));
      out.printf("  signer:       %s%n", s.signer() == null ? null : oneLine(s.signer()));
      out.printf("  format:       %s%n", s.formatName());
      out.printf("  signing time: %s%n", s.signingTime());
      if (s.counterSignatureOf() != null) {
        out.printf("  counter-signs: %s%n", s.counterSignatureOf());
      }
      SignatureReport.Attributes a = s.attributes();
      if (!a.commitmentTypes().isEmpty()) {
        out.printf("  commitment:   %s%n", String.join(", ", a.commitmentTypes()));
      }
      if (!a.claimedRoles().isEmpty()) {
        out.printf("  claimed role: %s%n", oneLine(String.join(", ", a.claimedRoles())));
      }
      if (a.contentHints() != null) {
        out.printf("  content:      %s%n", oneLine(a.contentHints()));
      }
      if (a.signerLocation() != null) {
        out.printf("  location:     %s%n", oneLine(a.signerLocation()));
      }
      if (a.policy() != null) {
        out.printf("  policy:       %s%s: %s%n", a.policy().id(), a.policy().url() == null ? "" : " (" + a.policy().url() + ")",
            a.policy().identified() ? "identified, digest matches" : "NOT identified: " + a.policy().problem());
        if (a.policy().userNotice() != null) {
          out.printf("  policy notice: %s%n", oneLine(a.policy().userNotice()));
        }
      }
      for (org.opendsm.CustomAttribute c : a.custom()) {
        out.printf("  attribute:    %s%n", c instanceof org.opendsm.CustomAttribute.Cms cms
            ? cms.oid() + " = " + java.util.HexFormat.of().formatHex(cms.value())
            : oneLine(((org.opendsm.CustomAttribute.Xml) c).element()));
      }
      s.timestamps().forEach(t -> out.printf("  timestamp:    %s at %s by %s: %s%n",
          t.type(), t.productionTime(), t.producedBy(), t.indication()));
      s.errors().forEach(e -> out.printf("  error:        %s%n", e));
      s.warnings().forEach(w -> out.printf("  warning:      %s%n", w));
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  /** Signer-controlled text on one line: control characters escaped, so it cannot forge report lines. */
  static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }
}
