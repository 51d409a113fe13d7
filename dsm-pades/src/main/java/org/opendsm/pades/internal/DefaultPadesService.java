package org.opendsm.pades.internal;

import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.pades.PAdESSignatureParameters;
import eu.europa.esig.dss.pades.PAdESTimestampParameters;
import eu.europa.esig.dss.pades.signature.PAdESService;
import eu.europa.esig.dss.signature.DocumentSignatureService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.MediaType;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.internal.AbstractSignatureService;
import org.opendsm.internal.CertificateVerifiers;
import org.opendsm.internal.Dss;
import org.opendsm.internal.DssTspSource;
import org.opendsm.internal.OptionMap;
import org.opendsm.pades.PadesOptions;
import org.opendsm.pades.PadesService;

/** {@link PadesService} on DSS's {@link PAdESService} with PDFBox. */
public final class DefaultPadesService
    extends AbstractSignatureService<PadesOptions, PAdESSignatureParameters, PAdESTimestampParameters>
    implements PadesService {

  private final PAdESService service;

  public DefaultPadesService(ServiceSettings settings) {
    super(settings);
    service = new PAdESService(CertificateVerifiers.create(settings.trust()));
    service.setPdfObjFactory(Pdfs.objectFactory());
    settings.timestampSource().ifPresent(ts -> service.setTspSource(new DssTspSource(ts)));
  }

  @Override
  public SignatureFormat format() {
    return SignatureFormat.PADES;
  }

  @Override
  protected DocumentSignatureService<PAdESSignatureParameters, PAdESTimestampParameters> dss() {
    return service;
  }

  @Override
  protected PAdESSignatureParameters newParameters(PadesOptions o) {
    PAdESSignatureParameters p = new PAdESSignatureParameters();
    p.setSignatureLevel(Dss.level(SignatureFormat.PADES, o.level()));
    p.setReason(o.reason());
    p.setLocation(o.location());
    p.setContactInfo(o.contactInfo());
    p.setSignerName(o.signerName());
    timestampDigests(p, o.digestAlgorithm());
    return p;
  }

  @Override
  protected PAdESSignatureParameters extensionParameters(SignatureLevel level, List<DSSDocument> detached) {
    PAdESSignatureParameters p = new PAdESSignatureParameters();
    p.setSignatureLevel(Dss.level(SignatureFormat.PADES, level));
    timestampDigests(p, DigestAlgorithm.SHA256);
    return p;
  }

  private static void timestampDigests(PAdESSignatureParameters p, DigestAlgorithm digest) {
    p.setSignatureTimestampParameters(new PAdESTimestampParameters(Dss.digest(digest)));
    p.setArchiveTimestampParameters(new PAdESTimestampParameters(Dss.digest(digest)));
  }

  @Override
  protected void checkSignable(Document document, PadesOptions options) {
    try (InputStream in = document.openStream()) {
      byte[] head = in.readNBytes(1024);
      if (!new String(head, StandardCharsets.ISO_8859_1).contains("%PDF-")) {
        throw new InvalidDocumentException(document.name() + " is not a PDF (no %PDF- header)");
      }
    } catch (IOException e) {
      throw new InvalidDocumentException("Cannot read " + document.name() + ": " + e.getMessage(), e);
    }
  }

  @Override
  protected Document output(DSSDocument signed, Document input, PadesOptions options) {
    return Dss.document(signed, input.name(), MediaType.PDF);
  }

  @Override
  protected Document extendedOutput(DSSDocument extended, Document input) {
    return Dss.document(extended, input.name(), MediaType.PDF);
  }

  @Override
  protected Map<String, String> encode(PadesOptions o) {
    Map<String, String> m = OptionMap.common(o);
    putIfSet(m, "reason", o.reason());
    putIfSet(m, "location", o.location());
    putIfSet(m, "contactInfo", o.contactInfo());
    putIfSet(m, "signerName", o.signerName());
    return m;
  }

  @Override
  protected PadesOptions decode(OptionMap m) {
    return PadesOptions.builder().level(m.level()).digestAlgorithm(m.digestAlgorithm())
        .reason(m.text("reason")).location(m.text("location")).contactInfo(m.text("contactInfo"))
        .signerName(m.text("signerName")).build();
  }

  private static void putIfSet(Map<String, String> m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
