package org.opendsm.pades;

import java.nio.file.Path;
import org.opendsm.Document;
import org.opendsm.SignatureLevel;
import org.opendsm.SignatureReport;
import org.opendsm.VerificationReport;
import org.opendsm.Verifier;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.TestPki;

/**
 * Signs and verifies one PDF in a JVM of its own ({@link LargePdfTest} starts it with a small
 * heap). Exit 0 when the signature verifies TOTAL_PASSED at T.
 */
public final class LargePdfSigning {
  private LargePdfSigning() {}

  public static void main(String[] args) {
    try (TestPki pki = TestPki.start()) {
      Path in = Path.of(args[0]);
      Path out = Path.of(args[1]);
      PadesService.create(pki.serviceSettings()).sign(Document.of(in), PadesOptions.builder()
          .level(SignatureLevel.T).build(), pki.identity(KeyType.EC_P256).signer()).writeTo(out);
      VerificationReport report = Verifier.create(pki.trustSettings()).verify(Document.of(out));
      SignatureReport s = report.signatures().get(0);
      System.out.println("indication " + s.indication() + " " + s.formatName() + " " + s.errors());
      System.out.println("max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
      System.exit(s.passed() ? 0 : 1);
    }
  }
}
