package org.opendsm.cades.internal;

import eu.europa.esig.dss.cades.validation.CAdESSignature;
import eu.europa.esig.dss.enumerations.SignatureForm;
import eu.europa.esig.dss.spi.signature.AdvancedSignature;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import java.util.List;
import org.opendsm.CustomAttribute;
import org.opendsm.internal.CmsCustomAttributes;
import org.opendsm.internal.ValidatorCustomizer;

/** The custom attributes of CAdES signatures (PAdES ones, also CMS, are dsm-pades' to read). */
public final class CadesValidatorCustomizer implements ValidatorCustomizer {
  @Override
  public void customize(SignedDocumentValidator validator) {}

  @Override
  public List<CustomAttribute> customAttributes(AdvancedSignature signature) {
    if (signature instanceof CAdESSignature cades && signature.getSignatureForm() == SignatureForm.CAdES) {
      return CmsCustomAttributes.read(cades.getSignerInformation().getSignedAttributes());
    }
    return List.of();
  }
}
