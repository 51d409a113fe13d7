package org.opendsm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.xml.sax.SAXException;

/**
 * A signed attribute of the application's own, covered by the signature like the standard ones,
 * in the form the format allows:
 *
 * <ul>
 *   <li>{@link Cms} for CAdES and PAdES (and ASiC with CAdES): a CMS signed attribute, an object
 *       identifier and one DER-encoded value (RFC 5652, 5.3);
 *   <li>{@link Xml} for XAdES (and ASiC with XAdES): an XML element, carried in a
 *       {@code ds:SignatureProperty} of a {@code ds:Object} that the signature references (XML-DSig,
 *       4.5 and 5.2).
 * </ul>
 *
 * <p>Attributes the standards define (content type, message digest, signing time and certificate,
 * policy, commitment, location, roles, content timestamp and hints...) are refused: they have their
 * own options in {@link SignedAttributes}. Verification reports custom attributes in {@link
 * SignatureReport.Attributes#custom()}.
 */
public sealed interface CustomAttribute {

  /**
   * A CMS signed attribute.
   *
   * @param oid the attribute type, dotted ({@code 1.3.6.1.4.1.99999.1})
   * @param value the attribute's single value, DER-encoded (build it with Bouncy Castle's ASN.1 classes)
   */
  static CustomAttribute cms(String oid, byte[] value) {
    return new Cms(oid, value);
  }

  /**
   * An XML element signed with a XAdES signature.
   *
   * @param element one well-formed XML element, e.g. {@code <case xmlns="urn:example">4711</case>};
   *     no document type declaration
   */
  static CustomAttribute xml(String element) {
    return new Xml(element);
  }

  /** A CMS signed attribute: its type and single DER-encoded value. */
  record Cms(String oid, byte[] value) implements CustomAttribute {
    private static final String ADOBE_REVOCATION_ARCHIVE = "1.2.840.113583.1.1.8";

    /** PKCS #9 attribute types CMS signatures use: content type, message digest, signing time, countersignature, S/MIME capabilities, CMS algorithm protection. */
    private static final Set<String> PKCS9 = Set.of("1.2.840.113549.1.9.3", "1.2.840.113549.1.9.4",
        "1.2.840.113549.1.9.5", "1.2.840.113549.1.9.6", "1.2.840.113549.1.9.15", "1.2.840.113549.1.9.52");

    public Cms {
      Objects.requireNonNull(oid, "oid");
      Objects.requireNonNull(value, "value");
      ASN1ObjectIdentifier type = ASN1ObjectIdentifier.tryFromID(oid);
      if (type == null) {
        throw new IllegalArgumentException("Not an object identifier: '" + oid + "'");
      }
      if (isStandard(oid)) {
        throw new IllegalArgumentException("The attribute " + oid + " is one CMS, CAdES or PAdES defines: set it"
            + " through SignedAttributes or the format's options, not as a custom attribute");
      }
      byte[] der;
      try {
        ASN1Primitive parsed = ASN1Primitive.fromByteArray(value);
        if (parsed == null) {
          throw new IOException("empty");
        }
        der = parsed.getEncoded(ASN1Encoding.DER);
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException("The value of the attribute " + oid + " is not one DER-encoded ASN.1"
            + " value", e);
      }
      if (!Arrays.equals(der, value)) {
        throw new IllegalArgumentException("The value of the attribute " + oid + " is not DER-encoded: encode it"
            + " with getEncoded(ASN1Encoding.DER)");
      }
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    /**
     * Whether {@code oid} is an attribute type the standards define, so not a custom one: the PKCS #9
     * types CMS uses, the S/MIME and ESS authenticated attributes ({@code id-aa}, RFC 2634, 5035 and
     * 5126: signing certificate, policy, commitment, location, content hints and timestamps...) and
     * the ETSI CAdES ones (mime-type, signer-attributes-v2, signature-policy-store), and Adobe's
     * revocation-information archive, which PDF readers (DSS too) take as validation data.
     */
    public static boolean isStandard(String oid) {
      return PKCS9.contains(oid) || oid.startsWith("1.2.840.113549.1.9.16.2.") || oid.startsWith("0.4.0.1733.")
          || oid.startsWith("0.4.0.19122.") || oid.equals(ADOBE_REVOCATION_ARCHIVE);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cms c && c.oid.equals(oid) && Arrays.equals(c.value, value);
    }

    @Override
    public int hashCode() {
      return 31 * oid.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "Cms[" + oid + " = " + HexFormat.of().formatHex(value) + "]";
    }
  }

  /** An XML element signed with a XAdES signature. */
  record Xml(String element) implements CustomAttribute {
    public Xml {
      Objects.requireNonNull(element, "element");
      requireOneElement(element);
    }

    private static final Set<String> SIGNATURE_NAMESPACES = Set.of("http://www.w3.org/2000/09/xmldsig#",
        "http://www.w3.org/2009/xmldsig11#", "http://uri.etsi.org/01903/v1.3.2#", "http://uri.etsi.org/01903/v1.4.1#");

    /**
     * One element without comments or processing instructions (which the signature's canonical
     * form leaves out, so they would not be signed), no element of XML-DSig or XAdES (a signature
     * inside a property would be read as another one), and no Id attribute (references by id must
     * stay unambiguous).
     */
    private static void requireOneElement(String xml) {
      org.w3c.dom.Document dom;
      try {
        dom = org.opendsm.internal.SecureXml.parse(
            new ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      } catch (SAXException | IOException e) {
        throw new IllegalArgumentException("A custom XML attribute must be one well-formed element without a"
            + " document type declaration: " + e.getMessage(), e);
      }
      requireSignable(dom);
    }

    private static void requireSignable(org.w3c.dom.Node node) {
      for (org.w3c.dom.Node n = node.getFirstChild(); n != null; n = n.getNextSibling()) {
        switch (n.getNodeType()) {
          case org.w3c.dom.Node.COMMENT_NODE, org.w3c.dom.Node.PROCESSING_INSTRUCTION_NODE ->
              throw new IllegalArgumentException("A custom XML attribute cannot hold comments or processing"
                  + " instructions: the signature's canonical form leaves them out, so they would not be signed");
          case org.w3c.dom.Node.ELEMENT_NODE -> {
            org.w3c.dom.Element e = (org.w3c.dom.Element) n;
            if (e.getNamespaceURI() != null && SIGNATURE_NAMESPACES.contains(e.getNamespaceURI())) {
              throw new IllegalArgumentException("A custom XML attribute cannot hold XML-DSig or XAdES elements ("
                  + e.getTagName() + ")");
            }
            for (String id : new String[] {"Id", "ID", "id"}) {
              if (e.hasAttribute(id)) {
                throw new IllegalArgumentException("A custom XML attribute cannot carry an " + id + " attribute ("
                    + e.getTagName() + "): references by id must stay unambiguous");
              }
            }
            requireSignable(e);
          }
          default -> { }
        }
      }
    }
  }
}
