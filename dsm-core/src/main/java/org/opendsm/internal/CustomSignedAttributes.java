package org.opendsm.internal;

import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.opendsm.CustomAttribute;

/**
 * The custom CMS attributes of one signature, for DSS parameters that sign them. DSS builds the
 * signed attributes itself unless the parameters give explicit ones ({@code getSignedData()}); a
 * parameters subclass answers that call with {@link #signedData}: DSS's own table, built on the
 * spot, plus the custom attributes. Built again at each call, so preparation and completion sign
 * the same bytes. One signature at a time, like the parameters that hold it.
 */
public final class CustomSignedAttributes {
  private final List<CustomAttribute> custom;
  private boolean building;

  public CustomSignedAttributes(List<CustomAttribute> custom) {
    this.custom = List.copyOf(custom);
  }

  /**
   * What {@code getSignedData()} returns: {@code explicit} when set (or when there are no custom
   * attributes); otherwise the DER encoding of {@code standard} (DSS's builder, which itself asks for
   * explicit attributes first: it gets {@code null} while it builds) with the custom ones added.
   */
  public byte[] signedData(byte[] explicit, Supplier<AttributeTable> standard) {
    if (explicit != null || custom.isEmpty() || building) {
      return explicit;
    }
    building = true;
    try {
      return CmsCustomAttributes.encode(standard.get(), custom);
    } finally {
      building = false;
    }
  }
}
