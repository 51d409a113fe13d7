package org.opendsm.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.opendsm.CustomAttribute;

/** {@link CustomAttribute.Cms} in CMS signed attributes: added at signing, read back at verification. */
public final class CmsCustomAttributes {
  private CmsCustomAttributes() {}

  /**
   * The DER encoding of {@code standard} with the CMS attributes of {@code custom} added: the
   * signed attributes DSS is to use as they are.
   */
  public static byte[] encode(AttributeTable standard, List<CustomAttribute> custom) {
    ASN1EncodableVector all = standard.toASN1EncodableVector();
    try {
      for (CustomAttribute c : custom) {
        if (c instanceof CustomAttribute.Cms cms) {
          all.add(new Attribute(new ASN1ObjectIdentifier(cms.oid()), new DERSet(ASN1Primitive.fromByteArray(cms.value()))));
        }
      }
      return new DERSet(all).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // values were parsed when the attribute was made
    }
  }

  /** The custom attributes among {@code signed}, one per value; empty when there are none. */
  public static List<CustomAttribute> read(AttributeTable signed) {
    List<CustomAttribute> out = new ArrayList<>();
    if (signed == null) {
      return out;
    }
    ASN1EncodableVector attributes = signed.toASN1EncodableVector();
    for (int i = 0; i < attributes.size(); i++) {
      Attribute a = Attribute.getInstance(attributes.get(i));
      String oid = a.getAttrType().getId();
      if (CustomAttribute.Cms.isStandard(oid)) {
        continue;
      }
      for (ASN1Encodable value : a.getAttributeValues()) {
        try {
          out.add(CustomAttribute.cms(oid, value.toASN1Primitive().getEncoded(ASN1Encoding.DER)));
        } catch (IOException | IllegalArgumentException e) {
          // A value that does not re-encode is reported by DSS as a structural problem; skip it here.
        }
      }
    }
    return out;
  }
}
