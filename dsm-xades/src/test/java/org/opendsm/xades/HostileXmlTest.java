package org.opendsm.xades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.SignaturePackaging;
import org.opendsm.Verifier;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.TestPki;

/**
 * XML that attacks its parser: entity expansion (billion laughs) and external entities (XXE).
 * Refused as an invalid document, quickly, without reading the file the entity names, whether
 * it comes to be signed or to be verified.
 */
class HostileXmlTest {
  private static final TestPki PKI = TestPki.shared();
  private static final Duration BOUND = Duration.ofSeconds(20);
  private final XadesService xades = XadesService.create(PKI.serviceSettings());
  private final Verifier verifier = Verifier.create(PKI.trustSettings());
  @TempDir Path dir;

  static Document billionLaughs() {
    StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for (int i = 1; i <= 9; i++) {
      String previous = i == 1 ? "&lol;" : "&lol" + (i - 1) + ";";
      dtd.append(" <!ENTITY lol").append(i).append(" \"").append(previous.repeat(10)).append("\">\n");
    }
    dtd.append("]>\n<lolz>&lol9;</lolz>\n");
    return Document.of(dtd.toString().getBytes(StandardCharsets.UTF_8), "lolz.xml");
  }

  private Document externalEntity(Path secret) {
    String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE invoice [ <!ENTITY leak SYSTEM \"" + secret.toUri() + "\"> ]>\n"
        + "<invoice><note>&leak;</note></invoice>\n";
    return Document.of(xml.getBytes(StandardCharsets.UTF_8), "invoice.xml");
  }

  @Test
  void entityExpansion_isRefused_forAnEnvelopedSignature() {
    Throwable refused = assertTimeoutPreemptively(BOUND, () -> catchThrowable(() -> xades.sign(billionLaughs(),
        XadesOptions.builder().build(), PKI.identity(KeyType.EC_P256).signer())));

    assertThat(refused).isInstanceOf(InvalidDocumentException.class);
    assertThat(refused.getMessage()).contains("lolz.xml");
  }

  @Test
  void anEnvelopingSignature_carriesTheBombAsOpaqueBytes_neverExpanded() {
    byte[] signed = assertTimeoutPreemptively(BOUND, () -> xades.sign(billionLaughs(),
        XadesOptions.builder().packaging(SignaturePackaging.ENVELOPING).build(),
        PKI.identity(KeyType.EC_P256).signer()).bytes());

    assertThat(signed.length).as("the content is embedded base64, not parsed").isLessThan(64 * 1024);
    assertThat(verifier.verify(Document.of(signed, "signed.xml")).allPassed()).isTrue();
  }

  @Test
  void entityExpansion_isRefused_whenVerified() {
    Throwable refused = assertTimeoutPreemptively(BOUND, () -> catchThrowable(() -> verifier.verify(billionLaughs())));

    assertThat(refused).isInstanceOf(InvalidDocumentException.class);
  }

  @Test
  void anExternalEntity_isNeverRead() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-MARKER");

    Throwable signing = assertTimeoutPreemptively(BOUND, () -> catchThrowable(() -> xades.sign(externalEntity(secret),
        XadesOptions.builder().build(), PKI.identity(KeyType.EC_P256).signer())));
    Throwable verifying = assertTimeoutPreemptively(BOUND, () -> catchThrowable(
        () -> verifier.verify(externalEntity(secret))));

    assertThat(signing).isInstanceOf(InvalidDocumentException.class);
    assertThat(signing.getMessage()).doesNotContain("TOP-SECRET-MARKER");
    assertThat(verifying).isInstanceOf(InvalidDocumentException.class);
    assertThat(verifying.getMessage()).doesNotContain("TOP-SECRET-MARKER");
  }
}
