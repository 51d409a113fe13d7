package org.opendsm.internal;

import org.opendsm.CustomAttribute;
import org.opendsm.SignedAttributes;

/** Which form of {@link CustomAttribute} a signature takes: the format options refuse the other. */
public final class CustomAttributeForms {
  private CustomAttributeForms() {}

  /**
   * Refuses custom attributes that are not CMS ones ({@code cms}) or XML ones (otherwise).
   *
   * @param signature what is signed, for the message: "a CAdES signature", "an ASiC container's XAdES signature"
   */
  public static void require(SignedAttributes attributes, boolean cms, String signature) {
    Class<? extends CustomAttribute> form = cms ? CustomAttribute.Cms.class : CustomAttribute.Xml.class;
    if (!attributes.custom().stream().allMatch(form::isInstance)) {
      throw new IllegalArgumentException("The custom attributes of " + signature + " are " + (cms
          ? "CustomAttribute.cms (CMS; CustomAttribute.xml is for XAdES)"
          : "CustomAttribute.xml (XML; CustomAttribute.cms is for CAdES and PAdES)"));
    }
  }
}
