package org.opendsm.xades.internal;

import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.xades.DSSObject;
import eu.europa.esig.dss.xades.XAdESSignatureParameters;
import eu.europa.esig.dss.xades.reference.CanonicalizationTransform;
import eu.europa.esig.dss.xades.reference.DSSReference;
import eu.europa.esig.dss.xml.common.definition.xmldsig.XMLDSigPath;
import eu.europa.esig.dss.xml.utils.DomUtils;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.crypto.dsig.CanonicalizationMethod;
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
public final class SignatureProperties {
  private static final String DS = "http://www.w3.org/2000/09/xmldsig#";

  private SignatureProperties() {}

  /**
   * The reference (with its object) that signs {@code custom}; {@code p}'s signing time and
   * certificate set. The object is canonicalised with exclusive C14N whatever the signature's
   * choice: its digest is computed before it is placed in the signature, so the namespaces of the
   * elements around it there must not count.
   */
  public static DSSReference reference(XAdESSignatureParameters p, List<CustomAttribute> custom,
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

  /**
   * The references DSS makes by itself to {@code documents} (with {@code p}'s packaging), for a
   * signature that adds its own: DSS builds none once some are given.
   */
  public static List<DSSReference> defaultReferences(XAdESSignatureParameters p,
      List<eu.europa.esig.dss.model.DSSDocument> documents) {
    var ids = new eu.europa.esig.dss.xades.reference.ReferenceIdProvider();
    ids.setSignatureParameters(p);
    return new eu.europa.esig.dss.xades.reference.ReferenceBuilder(documents, p, ids).build();
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
   * The contents of each {@code ds:SignatureProperty} in a {@code ds:Object} of {@code signature}
   * that its own {@code ds:SignedInfo} references by an id no other element of the document has
   * (so the signature covers it), each child element in the exclusive canonical form that was
   * digested: what is reported is what is signed.
   */
  static List<CustomAttribute> read(Element signature) {
    Element signedInfo = child(signature, "SignedInfo");
    if (signedInfo == null) {
      return List.of();
    }
    Set<String> referenced = new HashSet<>();
    for (Node n = signedInfo.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element r && isDs(r, "Reference") && r.getAttribute("URI").startsWith("#")
          && coversWholeElement(r)) {
        referenced.add(r.getAttribute("URI").substring(1));
      }
    }
    List<CustomAttribute> out = new ArrayList<>();
    for (Node n = signature.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (!(n instanceof Element object) || !isDs(object, "Object") || !isSigned(object, referenced)) {
        continue;
      }
      for (Node m = object.getFirstChild(); m != null; m = m.getNextSibling()) {
        if (m instanceof Element properties && isDs(properties, "SignatureProperties")) {
          for (Node p = properties.getFirstChild(); p != null; p = p.getNextSibling()) {
            if (p instanceof Element property && isDs(property, "SignatureProperty")) {
              for (Node c = property.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element e) {
                  try {
                    out.add(CustomAttribute.xml(canonical(e)));
                  } catch (IllegalArgumentException notOurForm) {
                    // Another tool's property that OpenDSM would not sign (an id, a signature inside): skipped alone.
                  }
                }
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static final Set<String> CANONICALIZATIONS = Set.of(CanonicalizationMethod.EXCLUSIVE,
      CanonicalizationMethod.EXCLUSIVE_WITH_COMMENTS, CanonicalizationMethod.INCLUSIVE,
      CanonicalizationMethod.INCLUSIVE_WITH_COMMENTS, "http://www.w3.org/2006/12/xml-c14n11",
      "http://www.w3.org/2006/12/xml-c14n11#WithComments");

  /** Whether a reference's transforms, if any, only canonicalise: no filter leaves part of the element out. */
  private static boolean coversWholeElement(Element reference) {
    Element transforms = child(reference, "Transforms");
    if (transforms == null) {
      return true;
    }
    for (Node t = transforms.getFirstChild(); t != null; t = t.getNextSibling()) {
      if (t instanceof Element transform && isDs(transform, "Transform")
          && !CANONICALIZATIONS.contains(transform.getAttribute("Algorithm"))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code object} is referenced by its id, and that id is unique in the document. */
  private static boolean isSigned(Element object, Set<String> referenced) {
    String id = object.getAttribute("Id");
    if (id.isEmpty() || !referenced.contains(id)) {
      return false;
    }
    NodeList all = object.getOwnerDocument().getElementsByTagName("*");
    int holders = 0;
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (id.equals(e.getAttribute("Id")) || id.equals(e.getAttribute("ID")) || id.equals(e.getAttribute("id"))) {
        holders++;
      }
    }
    return holders == 1;
  }

  private static Element child(Element parent, String localName) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && isDs(e, localName)) {
        return e;
      }
    }
    return null;
  }

  private static boolean isDs(Element e, String localName) {
    return DS.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName());
  }

  /** {@code e} in exclusive canonical form, without comments: the form its digest covers. */
  private static String canonical(Element e) {
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      org.apache.xml.security.c14n.Canonicalizer
          .getInstance(org.apache.xml.security.c14n.Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS)
          .canonicalizeSubtree(e, out);
      return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    } catch (org.apache.xml.security.exceptions.XMLSecurityException ex) {
      throw new IllegalStateException("Cannot canonicalise a signature property", ex);
    }
  }
}
