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
  protected XAdESSignatureParameters newParameters(XadesOptions o) {
    XAdESSignatureParameters p = new XAdESSignatureParameters();
    p.setSignatureLevel(Dss.level(SignatureFormat.XADES, o.level()));
    p.setSignaturePackaging(switch (o.packaging()) {
      case ENVELOPED -> eu.europa.esig.dss.enumerations.SignaturePackaging.ENVELOPED;
      case ENVELOPING -> eu.europa.esig.dss.enumerations.SignaturePackaging.ENVELOPING;
      case DETACHED -> eu.europa.esig.dss.enumerations.SignaturePackaging.DETACHED;
    });
    timestampDigests(p, o.digestAlgorithm());
    return p;
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

  @Override
  protected Document extendedOutput(DSSDocument extended, Document input) {
    return Dss.document(extended, input.name(), MediaType.XML);
  }

  @Override
  protected Map<String, String> encode(XadesOptions o) {
    return OptionMap.common(o);
  }

  @Override
  protected XadesOptions decode(OptionMap m) {
    return XadesOptions.builder().level(m.level()).digestAlgorithm(m.digestAlgorithm())
        .packaging(m.packaging()).build();
  }
}
