package org.opendsm.internal;

import java.io.IOException;
import java.io.InputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;

/** XML from outside parsed safely: namespace-aware, DTDs refused, no external entity ever resolved. */
public final class SecureXml {
  private SecureXml() {}

  /** @throws SAXException if {@code in} is not well-formed XML, or declares a document type */
  public static Document parse(InputStream in) throws SAXException, IOException {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setExpandEntityReferences(false);
      return f.newDocumentBuilder().parse(in);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }
}
