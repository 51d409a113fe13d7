package org.opendsm.xades.internal;

import eu.europa.esig.dss.spi.signature.AdvancedSignature;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import eu.europa.esig.dss.xades.validation.XAdESSignature;
import java.util.List;
import org.opendsm.CustomAttribute;
import org.opendsm.internal.ValidatorCustomizer;

/** The custom attributes (signed signature properties) of XAdES signatures. */
public final class XadesValidatorCustomizer implements ValidatorCustomizer {
  @Override
  public void customize(SignedDocumentValidator validator) {}

  @Override
  public List<CustomAttribute> customAttributes(AdvancedSignature signature) {
    return signature instanceof XAdESSignature xades ? SignatureProperties.read(xades.getSignatureElement()) : List.of();
  }
}
