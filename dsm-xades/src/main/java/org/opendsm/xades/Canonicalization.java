package org.opendsm.xades;

/** The XML canonicalisation a signature uses for SignedInfo, its signed properties and its references. */
public enum Canonicalization {
  /** Exclusive XML Canonicalization 1.0 (the default: robust when a signed element is moved). */
  EXCLUSIVE("http://www.w3.org/2001/10/xml-exc-c14n#"),
  /** Exclusive, keeping comments. */
  EXCLUSIVE_WITH_COMMENTS("http://www.w3.org/2001/10/xml-exc-c14n#WithComments"),
  /** Canonical XML 1.0 (inclusive: in-scope namespaces of ancestors count). */
  INCLUSIVE("http://www.w3.org/TR/2001/REC-xml-c14n-20010315"),
  /** Canonical XML 1.1. */
  INCLUSIVE_11("http://www.w3.org/2006/12/xml-c14n11");

  private final String uri;

  Canonicalization(String uri) {
    this.uri = uri;
  }

  public String uri() {
    return uri;
  }
}
