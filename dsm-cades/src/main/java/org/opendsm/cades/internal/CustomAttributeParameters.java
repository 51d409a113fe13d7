package org.opendsm.cades.internal;

import eu.europa.esig.dss.cades.CAdESSignatureParameters;
import eu.europa.esig.dss.cades.signature.CAdESLevelBaselineB;
import eu.europa.esig.dss.enumerations.MimeType;
import eu.europa.esig.dss.model.DigestDocument;
import java.util.List;
import org.opendsm.CustomAttribute;
import org.opendsm.internal.CustomSignedAttributes;

/**
 * CAdES parameters whose signed attributes are DSS's plus the options' custom ones
 * ({@link CustomSignedAttributes}). Not for serialization: DSS keeps parameters in memory.
 */
final class CustomAttributeParameters extends CAdESSignatureParameters {
  private static final long serialVersionUID = 1L;

  private final transient CustomSignedAttributes custom;
  /** Stands for the content in DSS's mime-type attribute (only its MIME type is read). */
  private final transient DigestDocument content = new DigestDocument();

  CustomAttributeParameters(List<CustomAttribute> custom) {
    this.custom = new CustomSignedAttributes(custom);
  }

  /** The MIME type DSS names in the mime-type attribute; {@code null} for application/octet-stream. */
  void contentMimeType(MimeType mimeType) {
    content.setMimeType(mimeType);
  }

  @Override
  public byte[] getSignedData() {
    return custom.signedData(super.getSignedData(), () -> new CAdESLevelBaselineB(content).getSignedAttributes(this));
  }
}
