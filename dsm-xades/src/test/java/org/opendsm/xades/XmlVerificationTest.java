package org.opendsm.xades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.Verifier;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

class XmlVerificationTest {
  private final Verifier verifier = Verifier.create(TestPki.shared().trustSettings());

  @Test
  void verify_unsignedXml_reportsNoSignature() {
    assertThat(verifier.verify(Samples.xml()).signatures()).isEmpty();
  }

  @Test
  void verify_invalidXml_isInvalidDocument() {
    Document broken = Document.of("<invoice><total>1</invoice>".getBytes(StandardCharsets.UTF_8), "broken.xml");

    assertThatThrownBy(() -> verifier.verify(broken))
        .isInstanceOf(InvalidDocumentException.class)
        .hasMessageStartingWith("Cannot read broken.xml: ");
  }
}
