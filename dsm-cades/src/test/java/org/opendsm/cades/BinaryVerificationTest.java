package org.opendsm.cades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.Verifier;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

class BinaryVerificationTest {
  private final Verifier verifier = Verifier.create(TestPki.shared().trustSettings());

  @Test
  void verify_randomBytes_isInvalidDocument() {
    byte[] random = new byte[4096];
    new Random(42).nextBytes(random);

    assertThatThrownBy(() -> verifier.verify(Document.of(random, "random.bin")))
        .isInstanceOf(InvalidDocumentException.class)
        .hasMessage("random.bin is neither a signature nor a document format OpenDSM reads (PDF, XML, CMS/PKCS#7)");
  }

  @Test
  void verify_emptyFile_isInvalidDocument() {
    assertThatThrownBy(() -> verifier.verify(Document.of(new byte[0], "empty.p7m")))
        .isInstanceOf(InvalidDocumentException.class)
        .hasMessage("empty.p7m is empty");
  }

  @Test
  void verify_unsignedTextFile_reportsNoSignature() {
    Document text = Document.of("just a note".getBytes(java.nio.charset.StandardCharsets.UTF_8), "note.txt");

    assertThat(verifier.verify(text).signatures()).isEmpty();
  }

  @Test
  void verify_unsignedPng_reportsNoSignature() {
    assertThat(verifier.verify(Samples.png()).signatures()).isEmpty();
  }
}
