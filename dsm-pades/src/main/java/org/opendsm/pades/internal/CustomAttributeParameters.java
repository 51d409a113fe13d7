package org.opendsm.pades.internal;

import eu.europa.esig.dss.cades.signature.CAdESLevelBaselineB;
import eu.europa.esig.dss.pades.PAdESSignatureParameters;
import java.util.List;
import org.opendsm.CustomAttribute;
import org.opendsm.internal.CmsCustomAttributes;

/**
 * PAdES parameters whose CMS signed attributes are DSS's plus the options' custom ones. DSS builds
 * the signed attributes itself unless explicit ones are given ({@link #getSignedData()}); this class
 * gives it, each time it asks, the table DSS would build for PAdES with the custom attributes
 * appended (DSS then adds the content type and message digest, as it does to its own).
 */
final class CustomAttributeParameters extends PAdESSignatureParameters {
  private static final long serialVersionUID = 1L;

  private final List<CustomAttribute> custom;
  private transient boolean building;

  CustomAttributeParameters(List<CustomAttribute> custom) {
    this.custom = List.copyOf(custom);
  }

  @Override
  public byte[] getSignedData() {
    byte[] explicit = super.getSignedData();
    if (custom.isEmpty() || building || explicit != null) {
      return explicit;
    }
    building = true; // DSS's builder asks for explicit attributes first: none while it builds its own
    try {
      return CmsCustomAttributes.encode(new CAdESLevelBaselineB(true).getSignedAttributes(this), custom);
    } finally {
      building = false;
    }
  }
}
