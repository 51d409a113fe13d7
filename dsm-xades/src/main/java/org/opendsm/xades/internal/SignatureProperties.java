package org.opendsm.xades.internal;

import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.xades.DSSObject;
import eu.europa.esig.dss.xades.XAdESSignatureParameters;
import eu.europa.esig.dss.xades.reference.CanonicalizationTransform;
import eu.europa.esig.dss.xades.reference.DSSReference;
import eu.europa.esig.dss.xml.common.definition.xmldsig.XMLDSigPath;
import eu.europa.esig.dss.xml.utils.DomUtils;
import java.util.ArrayList;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.opendsm.CustomAttribute;
import org.opendsm.internal.Dss;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Custom attributes of a XAdES signature as XML-DSig signature properties (XML-DSig 1.1, 5.2): a
 * {@code ds:Object} holding one {@code ds:SignatureProperties}, one {@code ds:SignatureProperty}
 * per attribute targeting the signature, and a reference in {@code SignedInfo} that signs it.
 */
final class SignatureProperties {
  private static final String DS = "http://www.w3.org/2000/09/xmldsig#";

  private SignatureProperties() {}

  /**
   * The reference (with its object) that signs {@code custom}; {@code p}'s signing time and
   * certificate set. The object is canonicalised with exclusive C14N whatever the signature's
   * choice: its digest is computed before it is placed in the signature, so the namespaces of the
   * elements around it there must not count.
   */
  static DSSReference reference(XAdESSignatureParameters p, List<CustomAttribute> custom,
      org.opendsm.DigestAlgorithm digest) {
    String signatureId = p.getDeterministicId();
    String objectId = "props-" + signatureId;
    Document content = DomUtils.buildDOM();
    content.appendChild(properties(content, custom, signatureId));
    DSSObject object = new DSSObject();
    object.setId(objectId);
    object.setContent(new InMemoryDocument(DomUtils.serializeNode(content)));

    // The object as it will stand in the signature, for the digest.
    Document asPlaced = DomUtils.buildDOM();
    Element objectElement = asPlaced.createElementNS(DS, "ds:Object");
    objectElement.setAttribute("Id", objectId);
    objectElement.appendChild(properties(asPlaced, custom, signatureId));
    asPlaced.appendChild(objectElement);

    DSSReference reference = new DSSReference();
    reference.setId("r-" + objectId);
    reference.setUri("#" + objectId);
    reference.setType(XMLDSigPath.OBJECT_TYPE);
    reference.setObject(object);
    reference.setContents(new InMemoryDocument(DomUtils.serializeNode(asPlaced)));
    reference.setDigestMethodAlgorithm(Dss.digest(digest));
    reference.setTransforms(List.of(new CanonicalizationTransform(CanonicalizationMethod.EXCLUSIVE)));
    return reference;
  }

  private static Element properties(Document dom, List<CustomAttribute> custom, String signatureId) {
    Element properties = dom.createElementNS(DS, "ds:SignatureProperties");
    for (CustomAttribute c : custom) {
      Element property = dom.createElementNS(DS, "ds:SignatureProperty");
      property.setAttribute("Target", "#" + signatureId);
      Element element = DomUtils.buildDOM(((CustomAttribute.Xml) c).element()).getDocumentElement();
      property.appendChild(dom.importNode(element, true));
      properties.appendChild(property);
    }
    return properties;
  }

  /**
   * The contents of each {@code ds:SignatureProperty} inside a {@code ds:Object} of {@code
   * signature} that its {@code SignedInfo} references (so signed), each child element serialized.
   */
  static List<CustomAttribute> read(Element signature) {
    Set<String> referenced = new HashSet<>();
    NodeList references = signature.getElementsByTagNameNS(DS, "Reference");
    for (int i = 0; i < references.getLength(); i++) {
      Element r = (Element) references.item(i);
      String uri = r.getAttribute("URI");
      if (r.getParentNode() instanceof Element parent && "SignedInfo".equals(parent.getLocalName())
          && uri.startsWith("#")) {
        referenced.add(uri.substring(1));
      }
    }
    List<CustomAttribute> out = new ArrayList<>();
    for (Node n = signature.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (!(n instanceof Element object) || !DS.equals(object.getNamespaceURI())
          || !"Object".equals(object.getLocalName())) {
        continue;
      }
      boolean objectSigned = referenced.contains(object.getAttribute("Id"));
      for (Node m = object.getFirstChild(); m != null; m = m.getNextSibling()) {
        if (m instanceof Element properties && DS.equals(properties.getNamespaceURI())
            && "SignatureProperties".equals(properties.getLocalName())
            && (objectSigned || referenced.contains(properties.getAttribute("Id")))) {
          NodeList property = properties.getElementsByTagNameNS(DS, "SignatureProperty");
          for (int i = 0; i < property.getLength(); i++) {
            for (Node c = property.item(i).getFirstChild(); c != null; c = c.getNextSibling()) {
              if (c instanceof Element e) {
                out.add(CustomAttribute.xml(text(e)));
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** {@code e} as XML text, without an XML declaration. */
  private static String text(Element e) {
    try {
      javax.xml.transform.TransformerFactory factory = javax.xml.transform.TransformerFactory.newInstance();
      factory.setFeature(javax.xml.XMLConstants.FEATURE_SECURE_PROCESSING, true);
      javax.xml.transform.Transformer t = factory.newTransformer();
      t.setOutputProperty(javax.xml.transform.OutputKeys.OMIT_XML_DECLARATION, "yes");
      java.io.StringWriter out = new java.io.StringWriter();
      t.transform(new javax.xml.transform.dom.DOMSource(e), new javax.xml.transform.stream.StreamResult(out));
      return out.toString();
    } catch (javax.xml.transform.TransformerException ex) {
      throw new IllegalStateException("Cannot serialize a signature property", ex);
    }
  }
}
