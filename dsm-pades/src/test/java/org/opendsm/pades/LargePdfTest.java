package org.opendsm.pades;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendsm.testing.ExternalTools;

/**
 * A 200 MB PDF signs (PAdES-T) and verifies in a JVM limited to a 512 MiB heap: PDFBox keeps at
 * most a few MiB of the document in memory and the rest in temporary files.
 */
class LargePdfTest {
  private static final long SIZE = 200L << 20;
  @TempDir Path dir;

  @Test
  void a200MbPdf_signsAndVerifiesWithA512MbHeap() throws Exception {
    Path in = dir.resolve("large.pdf");
    writePdf(in, SIZE);
    assertThat(Files.size(in)).isGreaterThan(SIZE);
    Path out = dir.resolve("large-signed.pdf");

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Xmx512m", "-Djava.io.tmpdir=" + dir, "-cp",
        System.getProperty("java.class.path"), LargePdfSigning.class.getName(), in.toString(), out.toString())
        .redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    String log = new String(output, StandardCharsets.UTF_8);
    List<String> lines = log.lines().filter(l -> l.startsWith("indication") || l.startsWith("max heap")).toList();

    assertThat(p.exitValue()).as(lines.isEmpty() ? log.substring(Math.max(0, log.length() - 3000)) : lines.toString())
        .isZero();
    assertThat(lines).anyMatch(l -> l.startsWith("indication TOTAL_PASSED PAdES-BASELINE-T"));
    int heapMib = lines.stream().filter(l -> l.startsWith("max heap")).map(l -> Integer.parseInt(l.split(" ")[2]))
        .findFirst().orElseThrow();
    assertThat(heapMib).as("the child's heap limit").isLessThanOrEqualTo(512);
    assertThat(Files.size(out)).isGreaterThan(SIZE);
    ExternalTools.require("pdfsig");
    ExternalTools.Result pdfsig = ExternalTools.run(dir, "pdfsig", "-nocert", out.toString());
    assertThat(pdfsig.output()).as(pdfsig.output()).contains("Signature Validation: Signature is Valid.");
  }

  /**
   * A one-page PDF whose page content stream holds {@code size} bytes of comment lines (valid
   * content, nothing to draw), written as it goes with its cross-reference table.
   */
  private static void writePdf(Path file, long size) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file); CountingStream out = new CountingStream(
        new BufferedOutputStream(raw, 1 << 20))) {
      List<Long> offsets = new ArrayList<>();
      out.ascii("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
      offsets.add(out.count);
      out.ascii("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
      offsets.add(out.count);
      out.ascii("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
      offsets.add(out.count);
      out.ascii("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n");
      byte[] line = "% a large document: page content padding, ignored when drawn ..............\n"
          .getBytes(StandardCharsets.US_ASCII);
      long lines = size / line.length;
      offsets.add(out.count);
      out.ascii("4 0 obj\n<< /Length " + (lines * line.length) + " >>\nstream\n");
      for (long i = 0; i < lines; i++) {
        out.write(line);
      }
      out.ascii("\nendstream\nendobj\n");
      long xref = out.count;
      out.ascii("xref\n0 5\n0000000000 65535 f \n");
      for (long offset : offsets) {
        out.ascii(String.format("%010d 00000 n \n", offset));
      }
      out.ascii("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n" + xref + "\n%%EOF\n");
    }
  }

  /** Counts what it writes, for the cross-reference offsets. */
  private static final class CountingStream extends java.io.FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    void ascii(String s) throws IOException {
      write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }
  }
}
