package org.opendsm.pades.internal;

import eu.europa.esig.dss.pades.validation.PDFDocumentValidator;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import org.opendsm.internal.ValidatorCustomizer;

/** Validation of PDFs with the same PDFBox settings as signing; the custom attributes of PAdES signatures. */
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

  @Override
  public java.util.List<org.opendsm.CustomAttribute> customAttributes(
      eu.europa.esig.dss.spi.signature.AdvancedSignature signature) {
    if (signature instanceof eu.europa.esig.dss.pades.validation.PAdESSignature pades) {
      return org.opendsm.internal.CmsCustomAttributes.read(pades.getSignerInformation().getSignedAttributes());
    }
    return java.util.List.of();
  }
}
