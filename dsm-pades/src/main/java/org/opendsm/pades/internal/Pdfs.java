package org.opendsm.pades.internal;

import eu.europa.esig.dss.pdf.IPdfObjFactory;
import eu.europa.esig.dss.pdf.PdfMemoryUsageSetting;
import eu.europa.esig.dss.pdf.modifications.DefaultPdfDifferencesFinder;
import eu.europa.esig.dss.pdf.pdfbox.PdfBoxNativeObjectFactory;
import eu.europa.esig.dss.signature.resources.TempFileResourcesHandlerBuilder;

/** How we run PDFBox under DSS. */
final class Pdfs {
  /** Up to this much of PDFBox's scratch data in the heap; the rest in temporary files. */
  private static final long HEAP_BUFFER = 4L << 20;

  private Pdfs() {}

  /**
   * PDFBox with bounded scratch memory, without page rendering for visual-change detection
   * (150-200 ms per document; structural checks remain).
   */
  static IPdfObjFactory objectFactory() {
    return objectFactory(null);
  }

  /** The same, writing every document DSS produces to temporary files of {@code files}. */
  static IPdfObjFactory objectFactory(TempFileResourcesHandlerBuilder files) {
    PdfBoxNativeObjectFactory factory = new PdfBoxNativeObjectFactory();
    if (files != null) {
      factory.setResourcesHandlerBuilder(files);
    }
    factory.setPdfMemoryUsageSetting(PdfMemoryUsageSetting.mixed(HEAP_BUFFER));
    DefaultPdfDifferencesFinder differences = new DefaultPdfDifferencesFinder();
    differences.setMaximalPagesAmountForVisualComparison(0);
    factory.setPdfDifferencesFinder(differences);
    return factory;
  }
}
