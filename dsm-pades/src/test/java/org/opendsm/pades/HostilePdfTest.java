package org.opendsm.pades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.SignedDocument;
import org.opendsm.VerificationReport;
import org.opendsm.Verifier;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.TestPki;

/**
 * PDFs built to hurt their reader: a page tree that refers to itself, a stream whose length
 * refers to itself or lies, and a content stream that inflates to 256 MiB. Each is either refused
 * as an invalid document or signed with a valid signature, in bounded time.
 */
class HostilePdfTest {
  private static final TestPki PKI = TestPki.shared();
  private static final Duration BOUND = Duration.ofSeconds(60);
  private final PadesService pades = PadesService.create(PKI.serviceSettings());
  private final Verifier verifier = Verifier.create(PKI.trustSettings());

  /** A PDF from its objects, with a correct cross-reference table. */
  static byte[] pdf(byte[]... objects) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1));
    long[] offsets = new long[objects.length];
    for (int i = 0; i < objects.length; i++) {
      offsets[i] = out.size();
      out.writeBytes(((i + 1) + " 0 obj\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(objects[i]);
      out.writeBytes("\nendobj\n".getBytes(StandardCharsets.US_ASCII));
    }
    long xref = out.size();
    StringBuilder table = new StringBuilder("xref\n0 " + (objects.length + 1) + "\n0000000000 65535 f \n");
    for (long offset : offsets) {
      table.append(String.format("%010d 00000 n \n", offset));
    }
    table.append("trailer\n<< /Size ").append(objects.length + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref)
        .append("\n%%EOF\n");
    out.writeBytes(table.toString().getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] stream(String dictionary, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(text(dictionary + "\nstream\n"));
    out.writeBytes(data);
    out.writeBytes(text("\nendstream"));
    return out.toByteArray();
  }

  private Throwable signOrFail(byte[] pdf, String name) {
    return assertTimeoutPreemptively(BOUND, () -> catchThrowable(() -> {
      SignedDocument signed = pades.sign(Document.of(pdf, name), PadesOptions.builder().build(),
          PKI.identity(KeyType.EC_P256).signer());
      VerificationReport report = verifier.verify(signed.document());
      assertThat(report.allPassed()).as(name + " signed: the signature must be valid").isTrue();
    }));
  }

  @Test
  void aPageTreeThatContainsItself_isRefusedOrSigned_inBoundedTime() {
    byte[] loop = pdf(text("<< /Type /Catalog /Pages 2 0 R >>"),
        text("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        text("<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"));

    Throwable t = signOrFail(loop, "loop.pdf");

    assertThat(t).satisfiesAnyOf(x -> assertThat(x).isNull(), x -> assertThat(x).isInstanceOf(InvalidDocumentException.class));
  }

  @Test
  void aStreamLengthThatRefersToItself_orLies_isRefusedOrSigned() {
    byte[] selfLength = pdf(text("<< /Type /Catalog /Pages 2 0 R >>"),
        text("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        text("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"),
        stream("<< /Length 4 0 R >>", text("BT /F1 12 Tf 72 720 Td (x) Tj ET")));
    byte[] lyingLength = pdf(text("<< /Type /Catalog /Pages 2 0 R >>"),
        text("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        text("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"),
        stream("<< /Length 2147483647 >>", text("BT /F1 12 Tf 72 720 Td (x) Tj ET")));

    for (byte[] pdf : new byte[][] {selfLength, lyingLength}) {
      Throwable t = signOrFail(pdf, "length.pdf");
      assertThat(t).satisfiesAnyOf(x -> assertThat(x).isNull(),
          x -> assertThat(x).isInstanceOf(InvalidDocumentException.class));
    }
  }

  @Test
  void aContentStreamThatInflatesTo256MiB_isSignedInBoundedTime() throws Exception {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(compressed, new Deflater(Deflater.BEST_COMPRESSION))) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 256; i++) {
        z.write(zeros);
      }
    }
    byte[] bomb = pdf(text("<< /Type /Catalog /Pages 2 0 R >>"),
        text("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        text("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"),
        stream("<< /Length " + compressed.size() + " /Filter /FlateDecode >>", compressed.toByteArray()));

    Throwable t = signOrFail(bomb, "bomb.pdf");

    assertThat(t).isNull();
  }
}
