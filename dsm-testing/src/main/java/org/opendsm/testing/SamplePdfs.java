package org.opendsm.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;

/** Sample PDFs prepared for tests, and what tests read back from signed ones. */
public final class SamplePdfs {
  private SamplePdfs() {}

  /**
   * {@code pdf} with an empty signature field named {@code name} on its first page, at (100, 100),
   * 200 x 60 points, printable and with an empty appearance (as PDF/A asks of every widget with an
   * area).
   */
  public static byte[] withEmptySignatureField(byte[] pdf, String name) {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      PDPage page = doc.getPage(0);
      PDAcroForm form = new PDAcroForm(doc);
      doc.getDocumentCatalog().setAcroForm(form);
      PDSignatureField field = new PDSignatureField(form);
      field.setPartialName(name);
      PDAnnotationWidget widget = field.getWidgets().get(0);
      widget.setRectangle(new PDRectangle(100, 100, 200, 60));
      widget.setPage(page);
      widget.setPrinted(true);
      PDAppearanceStream empty = new PDAppearanceStream(doc);
      empty.setBBox(new PDRectangle(200, 60));
      empty.setResources(new PDResources());
      PDAppearanceDictionary appearance = new PDAppearanceDictionary();
      appearance.setNormalAppearance(empty);
      widget.setAppearance(appearance);
      page.getAnnotations().add(widget);
      form.getFields().add(field);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The names of the fonts the first signature's appearance draws with: those of its resources and
   * of the form XObjects below them.
   */
  public static List<String> signatureAppearanceFonts(byte[] pdf) {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      PDAppearanceStream appearance = doc.getSignatureFields().get(0).getWidgets().get(0).getAppearance()
          .getNormalAppearance().getAppearanceStream();
      List<String> out = new ArrayList<>();
      fontNames(appearance.getResources(), out, 0);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void fontNames(PDResources resources, List<String> out, int depth) throws IOException {
    if (resources == null || depth > 5) {
      return;
    }
    for (COSName name : resources.getFontNames()) {
      out.add(resources.getFont(name).getName());
    }
    for (COSName name : resources.getXObjectNames()) {
      if (resources.getXObject(name) instanceof PDFormXObject form) {
        fontNames(form.getResources(), out, depth + 1);
      }
    }
  }
}
