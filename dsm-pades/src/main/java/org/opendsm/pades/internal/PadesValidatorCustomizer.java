package org.opendsm.pades.internal;

import eu.europa.esig.dss.pades.validation.PDFDocumentValidator;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import org.opendsm.internal.ValidatorCustomizer;

/** Validation of PDFs with the same PDFBox settings as signing. */
public final class PadesValidatorCustomizer implements ValidatorCustomizer {
  @Override
  public void customize(SignedDocumentValidator validator) {
    if (validator instanceof PDFDocumentValidator pdf) {
      pdf.setPdfObjFactory(Pdfs.objectFactory());
    }
  }

  @Override
  public void documentPassword(SignedDocumentValidator validator, char[] password) {
    if (validator instanceof PDFDocumentValidator pdf) {
      pdf.setPasswordProtection(password.clone());
    }
  }
}
