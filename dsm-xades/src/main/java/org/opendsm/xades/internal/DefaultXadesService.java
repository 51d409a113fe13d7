package org.opendsm.xades.internal;

import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.signature.DocumentSignatureService;
import eu.europa.esig.dss.xades.XAdESSignatureParameters;
import eu.europa.esig.dss.xades.XAdESTimestampParameters;
import eu.europa.esig.dss.xades.signature.XAdESService;
import java.util.List;
import java.util.Map;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.MediaType;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.internal.AbstractSignatureService;
import org.opendsm.internal.CertificateVerifiers;
import org.opendsm.internal.Dss;
import org.opendsm.internal.DssTspSource;
import org.opendsm.internal.OptionMap;
import org.opendsm.xades.XadesOptions;
import org.opendsm.xades.XadesService;

/** {@link XadesService} on DSS's {@link XAdESService} (Santuario). */
public final class DefaultXadesService
    extends AbstractSignatureService<XadesOptions, XAdESSignatureParameters, XAdESTimestampParameters>
    implements XadesService {

  private final XAdESService service;

  public DefaultXadesService(ServiceSettings settings) {
    super(settings);
    service = new XAdESService(CertificateVerifiers.create(settings.trust()));
    settings.timestampSource().ifPresent(ts -> service.setTspSource(new DssTspSource(ts)));
  }

  /** the XML parsers and Santuario throwing on a malformed document. */
  @Override
  protected boolean fromDocumentReader(Throwable e) {
    return thrownFrom(e, "org.apache.xml.security.", "org.apache.xerces.", "com.sun.org.apache.");
  }

  @Override
  public SignatureFormat format() {
    return SignatureFormat.XADES;
  }

  @Override
  protected DocumentSignatureService<XAdESSignatureParameters, XAdESTimestampParameters> dss() {
    return service;
  }

  @Override
  public org.opendsm.SignedDocument counterSign(Document signed, String signatureId, org.opendsm.Signer signer) {
    var p = new eu.europa.esig.dss.xades.signature.XAdESCounterSignatureParameters();
    p.setSignatureIdToCounterSign(java.util.Objects.requireNonNull(signatureId, "signatureId"));
    return counterSignWith(service, p, signed, signer);
  }


  @Override
  protected boolean readsOwnFormat(eu.europa.esig.dss.validation.SignedDocumentValidator validator) {
    return validator instanceof eu.europa.esig.dss.xades.validation.XMLDocumentValidator;
  }

  @Override
  public org.opendsm.SignedDocument signFiles(List<Document> files, XadesOptions options, org.opendsm.Signer signer) {
    java.util.Objects.requireNonNull(files, "files");
    java.util.Objects.requireNonNull(options, "options");
    java.util.Objects.requireNonNull(signer, "signer");
    if (options.packaging() != SignaturePackaging.DETACHED) {
      throw new IllegalArgumentException("A signature over several files is DETACHED: they stay beside it");
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("files must not be empty");
    }
    if (files.stream().map(Document::name).distinct().count() != files.size()) {
      throw new IllegalArgumentException("Two files have the same name: the references would be ambiguous");
    }
    requireTimestampSourceFor(options.level());
    checkAttributes(options);
    if (options.signedAttributes().contentTimestamp()) {
      throw new IllegalArgumentException("A content timestamp over several files is not offered; sign without it");
    }
    org.opendsm.SignatureAlgorithm algorithm = algorithmOf(signer, options);
    XAdESSignatureParameters p = parameters(options, signer.certificateChain(), algorithm,
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    List<DSSDocument> documents = files.stream().map(Dss::document).toList();
    if (!options.signedAttributes().custom().isEmpty()) {
      List<eu.europa.esig.dss.xades.reference.DSSReference> references = new java.util.ArrayList<>(
          SignatureProperties.defaultReferences(p, documents));
      references.add(SignatureProperties.reference(p, options.signedAttributes().custom(), options.digestAlgorithm()));
      p.setReferences(references);
    }
    var tbs = service.getDataToSign(documents, p);
    DSSDocument signed = service.signDocument(documents, p, signatureValue(signer, algorithm, tbs));
    return new org.opendsm.SignedDocument(Dss.document(signed, "signatures.xades.xml", MediaType.XML), format(),
        options.level());
  }

  @Override
  protected XAdESSignatureParameters newParameters(XadesOptions o) {
    XAdESSignatureParameters p = new XAdESSignatureParameters();
    p.setSignatureLevel(Dss.level(SignatureFormat.XADES, o.level()));
    p.setSignaturePackaging(switch (o.packaging()) {
      case ENVELOPED -> eu.europa.esig.dss.enumerations.SignaturePackaging.ENVELOPED;
      case ENVELOPING -> eu.europa.esig.dss.enumerations.SignaturePackaging.ENVELOPING;
      case DETACHED -> eu.europa.esig.dss.enumerations.SignaturePackaging.DETACHED;
    });
    timestampDigests(p, o.digestAlgorithm());
    p.setSignedInfoCanonicalizationMethod(o.canonicalization().uri());
    p.setSignedPropertiesCanonicalizationMethod(o.canonicalization().uri());
    p.setKeyInfoCanonicalizationMethod(o.canonicalization().uri());
    return p;
  }

  /**
   * References to the chosen elements (by id or XPath), when the options name some, and to the
   * custom attributes' signature properties, when there are some.
   */
  @Override
  protected void documentParameters(XAdESSignatureParameters p, Document document, XadesOptions o) {
    List<eu.europa.esig.dss.xades.reference.DSSReference> references = new java.util.ArrayList<>();
    if (!o.signedElementIds().isEmpty() || o.signedXPath() != null) {
      references.addAll(selectionReferences(Dss.document(document), o));
    }
    if (!o.signedAttributes().custom().isEmpty()) {
      if (references.isEmpty()) {
        references.addAll(SignatureProperties.defaultReferences(p, List.of(Dss.document(document))));
      }
      references.add(SignatureProperties.reference(p, o.signedAttributes().custom(), o.digestAlgorithm()));
    }
    if (!references.isEmpty()) {
      p.setReferences(references);
    }
  }

  private static List<eu.europa.esig.dss.xades.reference.DSSReference> selectionReferences(DSSDocument contents,
      XadesOptions o) {
    requireSelection(contents, o);
    List<eu.europa.esig.dss.xades.reference.DSSReference> references = new java.util.ArrayList<>();
    if (o.signedXPath() != null) {
      references.add(reference(contents, "r-xpath", "", o, List.of(
          new eu.europa.esig.dss.xades.reference.XPath2FilterTransform(o.signedXPath(), "intersect"),
          new eu.europa.esig.dss.xades.reference.XPath2FilterEnvelopedSignatureTransform(),
          new eu.europa.esig.dss.xades.reference.CanonicalizationTransform(o.canonicalization().uri()))));
    }
    for (String id : o.signedElementIds()) {
      // The signature may land inside the element (the root, an ancestor): signatures are cut out.
      references.add(reference(contents, "r-" + id, "#" + id, o, List.of(
          new eu.europa.esig.dss.xades.reference.XPath2FilterEnvelopedSignatureTransform(),
          new eu.europa.esig.dss.xades.reference.CanonicalizationTransform(o.canonicalization().uri()))));
    }
    return references;
  }

  /** Refuses ids the document does not have and an XPath that selects nothing, before signing. */
  private static void requireSelection(DSSDocument contents, XadesOptions o) {
    org.w3c.dom.Document dom;
    try {
      dom = eu.europa.esig.dss.xml.utils.DomUtils.buildDOM(contents);
    } catch (RuntimeException e) {
      throw new InvalidDocumentException(contents.getName() + " is not well-formed XML: " + e.getMessage(), e);
    }
    javax.xml.xpath.XPath xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath();
    try {
      for (String id : o.signedElementIds()) {
        String query = "//*[@Id='" + id + "' or @id='" + id + "' or @ID='" + id + "']"; // id checked: a name
        if (((org.w3c.dom.NodeList) xpath.evaluate(query, dom, javax.xml.xpath.XPathConstants.NODESET))
            .getLength() == 0) {
          throw new IllegalArgumentException(contents.getName() + " has no element with the id '" + id + "'");
        }
      }
      if (o.signedXPath() != null && ((org.w3c.dom.NodeList) xpath.evaluate(o.signedXPath(), dom,
          javax.xml.xpath.XPathConstants.NODESET)).getLength() == 0) {
        throw new IllegalArgumentException("The XPath " + o.signedXPath() + " selects nothing in "
            + contents.getName());
      }
    } catch (javax.xml.xpath.XPathExpressionException e) {
      throw new IllegalArgumentException("Not an XPath expression: " + o.signedXPath(), e);
    }
  }

  private static eu.europa.esig.dss.xades.reference.DSSReference reference(DSSDocument contents, String id, String uri,
      XadesOptions o, List<eu.europa.esig.dss.xades.reference.DSSTransform> transforms) {
    var r = new eu.europa.esig.dss.xades.reference.DSSReference();
    r.setId(id);
    r.setUri(uri);
    r.setContents(contents);
    r.setDigestMethodAlgorithm(Dss.digest(o.digestAlgorithm()));
    r.setTransforms(transforms);
    return r;
  }

  @Override
  protected XAdESSignatureParameters extensionParameters(SignatureLevel level, List<DSSDocument> detached) {
    XAdESSignatureParameters p = new XAdESSignatureParameters();
    p.setSignatureLevel(Dss.level(SignatureFormat.XADES, level));
    p.setDetachedContents(detached);
    timestampDigests(p, DigestAlgorithm.SHA256);
    return p;
  }

  private static void timestampDigests(XAdESSignatureParameters p, DigestAlgorithm digest) {
    p.setSignatureTimestampParameters(new XAdESTimestampParameters(Dss.digest(digest)));
    p.setArchiveTimestampParameters(new XAdESTimestampParameters(Dss.digest(digest)));
  }

  /**
   * Enveloped signatures go inside the document, so it must be XML; well-formedness is checked by
   * the one parse DSS does anyway (see {@link #unreadable}).
   */
  @Override
  protected void checkSignable(Document document, XadesOptions options) {
    if (options.packaging() == SignaturePackaging.ENVELOPED && !looksLikeXml(document)) {
      throw new InvalidDocumentException(document.name() + " is not XML, so it cannot hold an"
          + " enveloped signature; sign it ENVELOPING or DETACHED");
    }
  }

  /**
   * Canonical XML cannot process a relative namespace URI (C14N 1.0, section 2.3; Santuario refuses
   * it): such a document is bad input, not a signing failure.
   */
  @Override
  protected RuntimeException formatRefusal(RuntimeException e, Document document) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("relative namespace")) {
        return new InvalidDocumentException(document.name() + " declares a relative namespace URI ("
            + rootMessage(e) + "): canonical XML cannot sign it; use an absolute URI", e);
      }
    }
    return null;
  }

  @Override
  protected InvalidDocumentException unreadable(Document document, XadesOptions options, RuntimeException e) {
    if (options.packaging() != SignaturePackaging.ENVELOPED) {
      return super.unreadable(document, options, e);
    }
    return new InvalidDocumentException(document.name() + " is not well-formed XML, so it cannot"
        + " hold an enveloped signature (" + rootMessage(e) + "); sign it ENVELOPING or DETACHED", e);
  }

  private static boolean looksLikeXml(Document document) {
    try (java.io.InputStream in = document.openStream()) {
      for (int b; (b = in.read()) != -1; ) {
        if (b == '<') {
          return true;
        }
        if (!Character.isWhitespace(b) && b != 0xEF && b != 0xBB && b != 0xBF) {
          return false;
        }
      }
      return false;
    } catch (java.io.IOException e) {
      throw new InvalidDocumentException("Cannot read " + document.name() + ": " + e.getMessage(), e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  @Override
  protected Document output(DSSDocument signed, Document input, XadesOptions options) {
    String name = options.packaging() == SignaturePackaging.ENVELOPED ? input.name() : input.name() + ".xades.xml";
    return Dss.document(signed, name, MediaType.XML);
  }

  /**
   * A plain XML-DSig signature (xmlsec1, Santuario, .NET) has no XAdES {@code QualifyingProperties}
   * for DSS to put timestamps and validation data into: it gets an empty one, in a new
   * {@code ds:Object}, with an {@code Id} on the signature for its {@code Target} if it had none.
   * Neither is covered by the signature's references (an enveloped signature is cut out before
   * digesting, and {@code SignedInfo} does not name the new object), so the signature stays valid
   * for any verifier.
   */
  @Override
  protected DSSDocument prepareForExtension(DSSDocument signed) {
    org.w3c.dom.Document dom;
    try {
      dom = eu.europa.esig.dss.xml.utils.DomUtils.buildDOM(signed);
    } catch (RuntimeException e) {
      return signed; // not XML: the extension reports it
    }
    org.w3c.dom.NodeList signatures = dom.getElementsByTagNameNS(XMLDSIG, "Signature");
    int plain = 0;
    for (int i = 0; i < signatures.getLength(); i++) {
      if (!hasQualifyingProperties((org.w3c.dom.Element) signatures.item(i))) {
        plain++;
      }
    }
    if (plain > 0 && signatures.getLength() > 1) {
      // With several signatures one may cover another (an enveloped-signature transform removes
      // only its own): adding a container to a covered one would break the one covering it.
      throw new org.opendsm.ExtensionException(signed.getName() + " holds " + signatures.getLength()
          + " XML signatures, " + plain + " of them plain XML-DSig: OpenDSM extends a plain XML-DSig signature only"
          + " when it is the document's only signature");
    }
    boolean changed = false;
    for (int i = 0; i < signatures.getLength(); i++) {
      org.w3c.dom.Element signature = (org.w3c.dom.Element) signatures.item(i);
      if (hasQualifyingProperties(signature)) {
        continue;
      }
      String id = signature.getAttribute("Id");
      if (id.isEmpty()) {
        id = "id-" + java.util.UUID.randomUUID();
        signature.setAttribute("Id", id);
      }
      signature.setIdAttribute("Id", true);
      String prefix = signature.getPrefix();
      org.w3c.dom.Element object = dom.createElementNS(XMLDSIG, prefix == null ? "Object" : prefix + ":Object");
      org.w3c.dom.Element properties = dom.createElementNS(XADES, "xades:QualifyingProperties");
      properties.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:xades", XADES);
      properties.setAttribute("Target", "#" + id);
      object.appendChild(properties);
      signature.appendChild(object);
      changed = true;
    }
    if (!changed) {
      return signed;
    }
    return new eu.europa.esig.dss.model.InMemoryDocument(eu.europa.esig.dss.xml.utils.DomUtils.serializeNode(dom),
        signed.getName(), eu.europa.esig.dss.enumerations.MimeTypeEnum.XML);
  }

  private static boolean hasQualifyingProperties(org.w3c.dom.Element signature) {
    for (org.w3c.dom.Node n = signature.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof org.w3c.dom.Element object && XMLDSIG.equals(object.getNamespaceURI())
          && "Object".equals(object.getLocalName())) {
        for (org.w3c.dom.Node c = object.getFirstChild(); c != null; c = c.getNextSibling()) {
          if (c instanceof org.w3c.dom.Element e && "QualifyingProperties".equals(e.getLocalName())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static final String XMLDSIG = "http://www.w3.org/2000/09/xmldsig#";
  private static final String XADES = "http://uri.etsi.org/01903/v1.3.2#";

  @Override
  protected Document extendedOutput(DSSDocument extended, Document input) {
    return Dss.document(extended, input.name(), MediaType.XML);
  }

  @Override
  protected Map<String, String> encode(XadesOptions o) {
    Map<String, String> m = OptionMap.common(o);
    m.put("canonicalization", o.canonicalization().name());
    if (!o.signedElementIds().isEmpty()) {
      m.put("signedElementIds", String.join(" ", o.signedElementIds()));
    }
    if (o.signedXPath() != null) {
      m.put("signedXPath", o.signedXPath());
    }
    return m;
  }

  @Override
  protected XadesOptions decode(OptionMap m) {
    XadesOptions.Builder b = XadesOptions.builder().level(m.level()).digestAlgorithm(m.digestAlgorithm())
        .packaging(m.packaging()).signedAttributes(m.signedAttributes())
        .canonicalization(m.text("canonicalization") == null ? org.opendsm.xades.Canonicalization.EXCLUSIVE
            : org.opendsm.xades.Canonicalization.valueOf(m.text("canonicalization")))
        .signedXPath(m.text("signedXPath"));
    if (m.text("signedElementIds") != null) {
      for (String id : m.text("signedElementIds").split(" ")) {
        b.signedElement(id);
      }
    }
    return b.build();
  }
}
