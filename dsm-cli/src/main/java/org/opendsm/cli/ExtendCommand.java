package org.opendsm.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.opendsm.Document;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureService;
import org.opendsm.SignedDocument;
import org.opendsm.TimestampSource;
import org.opendsm.TrustSettings;
import org.opendsm.cades.CadesService;
import org.opendsm.pades.PadesService;
import org.opendsm.xades.XadesService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dsm extend}: raises the signatures of a document, made by any tool, to T, LT or LTA. */
@Command(name = "extend", mixinStandardHelpOptions = true,
    description = {"Extend every signature of a signed document to T, LT or LTA, whoever made it.",
        "LT adds the certificates and revocation data, LTA an archive timestamp over them; extending an LTA document"
            + " to LTA again adds a new archive timestamp (do it before the last one's certificate expires).",
        "Exit 0 on success, 1 if the signatures cannot be extended, 2 on bad input."})
final class ExtendCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--level", required = true, description = "T, LT or LTA")
  String level;

  @Option(names = "--tsa", required = true, description = "RFC 3161 timestamp authority URL")
  URI tsa;

  @Option(names = "--trust", paramLabel = "CERT.pem",
      description = "trust anchor (PEM or DER) for the revocation data LT and LTA fetch; repeatable")
  List<Path> trust = new ArrayList<>();

  @Option(names = "--detached", paramLabel = "CONTENT", description = "signed content of a detached signature")
  List<Path> detached = new ArrayList<>();

  @Option(names = "--format", description = "pades, cades or xades (default: from the file: PDF, XML, else CMS)")
  String format;

  @Option(names = "--pdf-password-env", paramLabel = "VAR",
      description = "environment variable holding the open password of an encrypted PDF")
  String pdfPasswordEnv;

  @Parameters(index = "0", paramLabel = "IN", description = "signed document (PDF, XML, .p7m, .p7s)")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "where to write the extended document")
  Path out;

  @Override
  public Integer call() {
    SignatureLevel target = SignatureLevel.parse(level);
    if (target == SignatureLevel.B) {
      throw new IllegalArgumentException("--level must be T, LT or LTA: B is where signing starts");
    }
    Document document = Document.of(in);
    SignatureFormat signatureFormat = format == null ? Formats.guess(document) : Formats.parse(format);
    TrustSettings.Builder anchors = TrustSettings.builder();
    trust.forEach(anchors::addTrustAnchors);
    ServiceSettings settings = ServiceSettings.builder().trust(anchors.build())
        .timestampSource(TimestampSource.rfc3161(tsa)).build();
    SignatureService<?> service = switch (signatureFormat) {
      case PADES -> pdfPasswordEnv == null ? PadesService.create(settings)
          : PadesService.create(settings).withDocumentPassword(org.opendsm.Secret.of(
              Environment.require(pdfPasswordEnv, "the PDF's open password")));
      case CADES -> CadesService.create(settings);
      case XADES -> XadesService.create(settings);
    };
    if (pdfPasswordEnv != null && signatureFormat != SignatureFormat.PADES) {
      throw new IllegalArgumentException("--pdf-password-env is for PDF (PAdES) only");
    }
    SignedDocument extended;
    if (document.mediaType().isAsic()) {
      extended = org.opendsm.asic.AsicService.create(settings).extend(document, target);
    } else {
      List<Document> contents = new ArrayList<>();
      detached.forEach(p -> contents.add(Document.of(p)));
      extended = service.extend(document, target, contents);
    }
    extended.writeTo(out);
    spec.commandLine().getOut().printf("Extended %s to %s-%s -> %s%n", in, extended.format(), target, out);
    return ExitCodes.OK;
  }
}
