package org.opendsm.pades;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.TestPki;

/**
 * What tools other than DSS say of a signed PDF: poppler's pdfsig finds {@code signatures} valid
 * signatures and no invalid one, and the openssl ByteRange check verifies every CMS signature and
 * document timestamp against the test root.
 */
final class IndependentPdfCheck {
  private IndependentPdfCheck() {}

  static void assertAccepted(byte[] pdf, int signatures, Path dir) throws Exception {
    ExternalTools.require("pdfsig", "openssl", "xxd");
    Path file = Files.write(Files.createTempFile(dir, "checked", ".pdf"), pdf);
    ExternalTools.Result pdfsig = ExternalTools.run(dir, "pdfsig", "-nocert", file.toString());
    assertThat(pdfsig.output()).as(pdfsig.output()).doesNotContain("Signature is Invalid");
    assertThat(pdfsig.output().split("Signature Validation: Signature is Valid.", -1)).as(pdfsig.output())
        .hasSize(signatures + 1);
    Path root = TestPki.shared().writeRootPem(dir.resolve("root-for-openssl.pem"));
    ExternalTools.Result openssl = ExternalTools.run(dir, ExternalTools.script("pades-openssl-verify.sh", dir).toString(),
        file.toString(), root.toString());
    assertThat(openssl.exitCode()).as(openssl.output()).isZero();
  }
}
