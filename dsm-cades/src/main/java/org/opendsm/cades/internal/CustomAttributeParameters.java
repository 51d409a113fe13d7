package org.opendsm.cades.internal;

import eu.europa.esig.dss.cades.signature.CAdESLevelBaselineB;
import eu.europa.esig.dss.cades.CAdESSignatureParameters;
import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.DigestDocument;
import eu.europa.esig.dss.enumerations.MimeType;
import java.util.List;
import org.opendsm.CustomAttribute;
import org.opendsm.internal.CmsCustomAttributes;

/**
 * CAdES parameters whose signed attributes are DSS's plus the options' custom ones. DSS builds the
 * signed attributes itself unless explicit ones are given ({@link #getSignedData()}); this class
 * gives it, each time it asks, the table DSS would build with the custom attributes appended, so
 * preparation and completion sign the same attributes.
 */
final class CustomAttributeParameters extends CAdESSignatureParameters {
  private static final long serialVersionUID = 1L;

  private final List<CustomAttribute> custom;
  /** Stands for the content in DSS's mime-type attribute (only its MIME type is read). */
  private DSSDocument contentType;
  private transient boolean building;

  CustomAttributeParameters(List<CustomAttribute> custom) {
    this.custom = List.copyOf(custom);
  }

  /** The MIME type DSS names in the mime-type attribute; {@code null} for application/octet-stream. */
  void contentMimeType(MimeType mimeType) {
    DigestDocument d = new DigestDocument();
    d.setMimeType(mimeType);
    this.contentType = d;
  }

  @Override
  public byte[] getSignedData() {
    byte[] explicit = super.getSignedData();
    if (custom.isEmpty() || building || explicit != null) {
      return explicit;
    }
    building = true; // DSS's builder asks for explicit attributes first: none while it builds its own
    try {
      return CmsCustomAttributes.encode(new CAdESLevelBaselineB(contentType).getSignedAttributes(this), custom);
    } finally {
      building = false;
    }
  }
}
