package org.opendsm.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opendsm.Document;
import org.opendsm.ServiceSettings;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignedDocument;
import org.opendsm.Signer;
import org.opendsm.cades.CadesOptions;
import org.opendsm.cades.CadesService;
import org.opendsm.pades.PadesOptions;
import org.opendsm.pades.PadesService;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.TestPki;
import org.opendsm.xades.XadesOptions;
import org.opendsm.xades.XadesService;

/**
 * Signs one input at level B and writes the result: {@code OneShot CASE FILE}, CASE one of
 * pades, cades-detached, cades-enveloping, xades-enveloped. Exit 0 on success, 3 on
 * OutOfMemoryError. {@link SmallestHeap} runs it under shrinking -Xmx.
 */
public final class OneShot {
  private OneShot() {}

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    Path file = Path.of(args[1]);
    try (TestPki pki = TestPki.start()) {
      Signer signer = pki.identity(KeyType.EC_P256).signer();
      ServiceSettings settings = ServiceSettings.defaults();
      Document doc = Document.of(file);
      SignedDocument signed = switch (kind) {
        case "pades" -> PadesService.create(settings).sign(doc, PadesOptions.builder().build(), signer);
        case "cades-detached" -> CadesService.create(settings).sign(doc,
            CadesOptions.builder().packaging(SignaturePackaging.DETACHED).build(), signer);
        case "cades-enveloping" -> CadesService.create(settings).sign(doc,
            CadesOptions.builder().packaging(SignaturePackaging.ENVELOPING).build(), signer);
        case "xades-enveloped" -> XadesService.create(settings).sign(doc, XadesOptions.builder().build(), signer);
        default -> throw new IllegalArgumentException("Unknown case " + kind);
      };
      Path out = Files.createTempFile("oneshot", ".out");
      try {
        signed.writeTo(out);
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (OutOfMemoryError e) {
      System.exit(3);
    }
    System.exit(0);
  }
}
