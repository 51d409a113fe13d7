package org.opendsm.examples.bank;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** A one-page loan contract, written with PDFBox for the customer who signs it. */
final class LoanContract {
  private LoanContract() {}

  static byte[] pdf(String customer, String amount, int months) {
    List<String> lines = List.of(
        "Loan contract",
        "",
        "Between Example Bank S.A., Luxembourg (the lender)",
        "and " + customer + " (the borrower).",
        "",
        "1. The lender lends the borrower " + amount + ".",
        "2. The borrower repays it in " + months + " monthly instalments.",
        "3. This contract is signed electronically with an advanced electronic",
        "   signature created by the OpenDSM signing service.",
        "",
        "Date: " + LocalDate.now());
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
        text.beginText();
        text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        text.setLeading(18);
        text.newLineAtOffset(72, 760);
        for (String line : lines) {
          text.showText(line);
          text.newLine();
        }
        text.endText();
      }
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the contract", e);
    }
  }
}
