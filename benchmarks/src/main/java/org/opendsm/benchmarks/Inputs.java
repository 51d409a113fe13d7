package org.opendsm.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Benchmark inputs of a given size, made once per run in a temporary directory. */
final class Inputs {
  private Inputs() {}

  /** Random (incompressible) bytes. */
  static Path binary(Path dir, long size) {
    Path file = dir.resolve("data-" + size + ".bin");
    if (Files.exists(file)) {
      return file;
    }
    byte[] chunk = new byte[1 << 20];
    Random random = new Random(size);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= chunk.length) {
        random.nextBytes(chunk);
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** A one-page PDF padded with an unreferenced-by-text stream of random bytes to ~size. */
  static Path pdf(Path dir, long size) {
    Path file = dir.resolve("doc-" + size + ".pdf");
    if (Files.exists(file)) {
      return file;
    }
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      try (PDPageContentStream c = new PDPageContentStream(doc, page)) {
        c.beginText();
        c.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        c.newLineAtOffset(72, 720);
        c.showText("OpenDSM benchmark document, " + size + " bytes");
        c.endText();
      }
      byte[] padding = new byte[(int) Math.max(0, size - 2_000)];
      new Random(size).nextBytes(padding);
      PDStream stream = new PDStream(doc);
      try (OutputStream out = stream.createOutputStream()) {
        out.write(padding);
      }
      page.getCOSObject().setItem("PieceInfo", stream.getCOSObject());
      doc.save(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** An XML document of ~size bytes: many small records. */
  static Path xml(Path dir, long size) {
    Path file = dir.resolve("doc-" + size + ".xml");
    if (Files.exists(file)) {
      return file;
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<records xmlns=\"urn:opendsm:bench\">\n");
      long written = 60;
      for (int i = 0; written < size; i++) {
        String line = "  <record id=\"r" + i + "\"><name>Customer " + i + "</name><amount currency=\"EUR\">"
            + (i * 17 % 100000) + ".00</amount></record>\n";
        w.write(line);
        written += line.length();
      }
      w.write("</records>\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
