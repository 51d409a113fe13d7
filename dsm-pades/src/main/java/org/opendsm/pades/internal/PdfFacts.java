package org.opendsm.pades.internal;

import java.io.IOException;
import java.io.InputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
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

  private static final String PDFA_ID = "http://www.aiim.org/pdfa/ns/id/";

  /**
   * The pdfaid:part the XMP metadata states, as an element or as an attribute of its RDF
   * description; 0 when there is none, or when the metadata is not well-formed XML (then the
   * document conforms to no part of PDF/A).
   */
  private static int pdfaPart(PDMetadata metadata) throws IOException {
    if (metadata == null) {
      return 0;
    }
    org.w3c.dom.Document xmp;
    try (InputStream in = metadata.exportXMPMetadata()) {
      xmp = org.opendsm.internal.SecureXml.parse(in);
    } catch (org.xml.sax.SAXException e) {
      return 0;
    }
    org.w3c.dom.NodeList elements = xmp.getElementsByTagNameNS(PDFA_ID, "part");
    if (elements.getLength() > 0) {
      return number(elements.item(0).getTextContent());
    }
    org.w3c.dom.NodeList all = xmp.getElementsByTagNameNS("*", "*");
    for (int i = 0; i < all.getLength(); i++) {
      String part = ((org.w3c.dom.Element) all.item(i)).getAttributeNS(PDFA_ID, "part");
      if (!part.isEmpty()) {
        return number(part);
      }
    }
    return 0;
  }

  private static int number(String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static PDDocument load(Document document, String password) throws IOException {
    try (InputStream in = document.openStream()) {
      return Loader.loadPDF(new RandomAccessReadBuffer(in), password);
    }
  }
}
