package org.opendsm.xades.internal;

import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.signature.DocumentSignatureService;
import eu.europa.esig.dss.xades.XAdESSignatureParameters;
import eu.europa.esig.dss.xades.XAdESTimestampParameters;
import eu.europa.esig.dss.xades.signature.XAdESService;
import eu.europa.esig.dss.xml.utils.DomUtils;
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
    p.setSignatureLevel(level(o.level()));
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
    p.setSignatureLevel(level(level));
    p.setDetachedContents(detached);
    timestampDigests(p, DigestAlgorithm.SHA256);
    return p;
  }

  private static void timestampDigests(XAdESSignatureParameters p, DigestAlgorithm digest) {
    p.setSignatureTimestampParameters(new XAdESTimestampParameters(Dss.digest(digest)));
    p.setArchiveTimestampParameters(new XAdESTimestampParameters(Dss.digest(digest)));
  }

  private static eu.europa.esig.dss.enumerations.SignatureLevel level(SignatureLevel l) {
    return switch (l) {
      case B -> eu.europa.esig.dss.enumerations.SignatureLevel.XAdES_BASELINE_B;
      case T -> eu.europa.esig.dss.enumerations.SignatureLevel.XAdES_BASELINE_T;
      case LT -> eu.europa.esig.dss.enumerations.SignatureLevel.XAdES_BASELINE_LT;
      case LTA -> eu.europa.esig.dss.enumerations.SignatureLevel.XAdES_BASELINE_LTA;
    };
  }

  /** Enveloped signatures go inside the document, so it must be well-formed XML. */
  @Override
  protected void checkSignable(Document document, XadesOptions options) {
    if (options.packaging() != SignaturePackaging.ENVELOPED) {
      return;
    }
    try {
      if (DomUtils.buildDOM(Dss.document(document)).getDocumentElement() == null) {
        throw new InvalidDocumentException(document.name() + " has no root element");
      }
    } catch (RuntimeException e) {
      if (e instanceof InvalidDocumentException ide) {
        throw ide;
      }
      throw new InvalidDocumentException(document.name() + " is not well-formed XML, so it cannot"
          + " hold an enveloped signature (" + rootMessage(e) + "); sign it ENVELOPING or DETACHED", e);
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
    return Map.of("level", o.level().name(), "digestAlgorithm", o.digestAlgorithm().name(),
        "packaging", o.packaging().name());
  }

  @Override
  protected XadesOptions decode(Map<String, String> m) {
    return new XadesOptions(SignatureLevel.valueOf(m.get("level")),
        DigestAlgorithm.valueOf(m.get("digestAlgorithm")), SignaturePackaging.valueOf(m.get("packaging")));
  }
}
