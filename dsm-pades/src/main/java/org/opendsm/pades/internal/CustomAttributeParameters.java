package org.opendsm.pades.internal;

import eu.europa.esig.dss.cades.signature.CAdESLevelBaselineB;
import eu.europa.esig.dss.pades.PAdESSignatureParameters;
import java.util.List;
import org.opendsm.CustomAttribute;
import org.opendsm.internal.CustomSignedAttributes;

/**
 * PAdES parameters whose CMS signed attributes are DSS's (built as for PAdES) plus the options'
 * custom ones ({@link CustomSignedAttributes}); DSS then adds the content type and message digest,
 * as it does to its own. Not for serialization: DSS keeps parameters in memory.
 */
final class CustomAttributeParameters extends PAdESSignatureParameters {
  private static final long serialVersionUID = 1L;

  private final transient CustomSignedAttributes custom;

  CustomAttributeParameters(List<CustomAttribute> custom) {
    this.custom = new CustomSignedAttributes(custom);
  }

  @Override
  public byte[] getSignedData() {
    return custom.signedData(super.getSignedData(), () -> new CAdESLevelBaselineB(true).getSignedAttributes(this));
  }
}
