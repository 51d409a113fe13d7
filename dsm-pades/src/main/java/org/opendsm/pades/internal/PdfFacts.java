package org.opendsm.pades.internal;

import java.io.IOException;
import java.io.InputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.xmpbox.XMPMetadata;
import org.apache.xmpbox.schema.PDFAIdentificationSchema;
import org.apache.xmpbox.xml.DomXmpParser;
import org.apache.xmpbox.xml.XmpParsingException;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;

/**
 * What a visible signature needs to know of the PDF it goes on: its number of pages and the PDF/A
 * part it claims in its XMP metadata (0 when it claims none). Read from the document's file when it
 * has one, so a large PDF is not copied into memory.
 */
record PdfFacts(int pages, int pdfaPart) {

  static PdfFacts read(Document document, char[] password) {
    String open = password == null ? "" : new String(password);
    try (PDDocument pdf = document.path().isPresent() ? Loader.loadPDF(document.path().get().toFile(), open)
        : load(document, open)) {
      return new PdfFacts(pdf.getNumberOfPages(), pdfaPart(pdf.getDocumentCatalog().getMetadata()));
    } catch (IOException e) {
      throw new InvalidDocumentException("Cannot read " + document.name() + ": " + e.getMessage(), e);
    }
  }

  /** The pdfaid:part of the metadata; 0 when there is none, or when the metadata cannot be read. */
  private static int pdfaPart(PDMetadata metadata) throws IOException {
    if (metadata == null) {
      return 0;
    }
    try (InputStream in = metadata.exportXMPMetadata()) {
      DomXmpParser parser = new DomXmpParser();
      parser.setStrictParsing(false);
      XMPMetadata xmp = parser.parse(in);
      PDFAIdentificationSchema id = xmp.getPDFAIdentificationSchema();
      Integer part = id == null ? null : id.getPart();
      return part == null ? 0 : part;
    } catch (XmpParsingException | RuntimeException e) {
      // A document whose metadata does not parse does not conform to any part of PDF/A.
      return 0;
    }
  }

  private static PDDocument load(Document document, String password) throws IOException {
    try (InputStream in = document.openStream()) {
      return Loader.loadPDF(new RandomAccessReadBuffer(in), password);
    }
  }
}
