package org.opendsm.asic.internal;

import eu.europa.esig.dss.asic.cades.ASiCWithCAdESSignatureParameters;
import eu.europa.esig.dss.cades.signature.CAdESLevelBaselineB;
import eu.europa.esig.dss.enumerations.MimeType;
import eu.europa.esig.dss.model.DigestDocument;
import java.util.List;
import org.opendsm.CustomAttribute;
import org.opendsm.internal.CustomSignedAttributes;

/**
 * ASiC-with-CAdES parameters whose signed attributes are DSS's plus the options' custom ones
 * ({@link CustomSignedAttributes}); DSS signs the container's CAdES signature with these very
 * parameters. Not for serialization: DSS keeps parameters in memory.
 */
final class CustomAttributeParameters extends ASiCWithCAdESSignatureParameters {
  private static final long serialVersionUID = 1L;

  private final transient CustomSignedAttributes custom;
  /** Stands for the signed content in DSS's mime-type attribute (only its MIME type is read). */
  private final transient DigestDocument content = new DigestDocument();

  CustomAttributeParameters(List<CustomAttribute> custom) {
    this.custom = new CustomSignedAttributes(custom);
  }

  /** The MIME type of the document DSS signs, which its mime-type attribute names. */
  void signedContentType(MimeType mimeType) {
    content.setMimeType(mimeType);
  }

  @Override
  public byte[] getSignedData() {
    return custom.signedData(super.getSignedData(), () -> new CAdESLevelBaselineB(content).getSignedAttributes(this));
  }
}
