package org.opendsm.pades.internal;

import eu.europa.esig.dss.model.DSSDocument;
import eu.europa.esig.dss.model.FileDocument;
import eu.europa.esig.dss.signature.resources.TempFileResourcesHandlerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
  private final eu.europa.esig.dss.spi.validation.CertificateVerifier verifier;

  /** The password that opens encrypted input documents, or null. */
  private final char[] documentPassword;

  public DefaultPadesService(ServiceSettings settings) {
    this(settings, null);
  }

  private DefaultPadesService(ServiceSettings settings, char[] documentPassword) {
    super(settings);
    this.documentPassword = documentPassword;
    verifier = CertificateVerifiers.create(settings.trust());
    service = newService(Pdfs.objectFactory());
  }

  @Override
  public PadesService withDocumentPassword(org.opendsm.Secret password) {
    return new DefaultPadesService(settings, java.util.Objects.requireNonNull(password, "password").chars());
  }

  private PAdESService newService(eu.europa.esig.dss.pdf.IPdfObjFactory pdfs) {
    PAdESService s = new PAdESService(verifier);
    s.setPdfObjFactory(pdfs);
    settings.timestampSource().ifPresent(ts -> s.setTspSource(new DssTspSource(ts)));
    return s;
  }

  /**
   * Each operation writes the PDFs DSS produces to its own temporary files (a 20 MB PDF then
   * needs about 13 MB of heap instead of about 110 MB). The signed PDF moves to a file the output
   * document owns; the intermediates are deleted when the operation ends.
   */
  @Override
  protected Operation<PAdESSignatureParameters, PAdESTimestampParameters> begin() {
    TempFileResourcesHandlerBuilder files = new TempFileResourcesHandlerBuilder();
    PAdESService perOperation = newService(Pdfs.objectFactory(files));
    return new Operation<>(perOperation) {
      @Override
      public DSSDocument adopt(DSSDocument output) {
        if (!(output instanceof FileDocument file)) {
          return output;
        }
        try {
          Path owned = Files.createTempFile("dsm-signed-", ".pdf");
          Files.move(file.getFile().toPath(), owned, StandardCopyOption.REPLACE_EXISTING);
          return new FileDocument(owned.toFile());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("Cannot keep the signed PDF", e);
        }
      }

      @Override
      public void close() {
        files.clear();
      }
    };
  }

  /** PDFBox throwing on a malformed document. */
  @Override
  protected boolean fromDocumentReader(Throwable e) {
    return thrownFrom(e, "org.apache.pdfbox.");
  }

  @Override
  public SignatureFormat format() {
    return SignatureFormat.PADES;
  }

  @Override
  protected DocumentSignatureService<PAdESSignatureParameters, PAdESTimestampParameters> dss() {
    return service;
  }

  /** Bytes reserved in /Contents for a content timestamp token and its TSA's chain. */
  private static final int CONTENT_TIMESTAMP_ROOM = 16_384;

  @Override
  protected PAdESSignatureParameters newParameters(PadesOptions o) {
    PAdESSignatureParameters p = o.signedAttributes().custom().isEmpty() ? new PAdESSignatureParameters()
        : new CustomAttributeParameters(o.signedAttributes().custom());
    p.setSignatureLevel(Dss.level(SignatureFormat.PADES, o.level()));
    p.setReason(o.reason());
    p.setLocation(o.location());
    p.setContactInfo(o.contactInfo());
    p.setSignerName(o.signerName());
    if (documentPassword != null) {
      p.setPasswordProtection(documentPassword.clone());
    }
    if (o.certification() != null) {
      p.setPermission(eu.europa.esig.dss.enumerations.CertificationPermission.fromCode(o.certification().permission()));
    }
    timestampDigests(p, o.digestAlgorithm());
    if (o.signedAttributes().contentTimestamp()) {
      // The content timestamp (a token with its TSA's certificates) goes inside the CMS: reserve
      // room for it beside DSS's default 9,472 bytes.
      p.setContentSize(p.getContentSize() + CONTENT_TIMESTAMP_ROOM);
    }
    // Custom attributes go inside the CMS too: room for each value, its type and the framing.
    int custom = o.signedAttributes().custom().stream()
        .mapToInt(c -> ((org.opendsm.CustomAttribute.Cms) c).value().length + 64).sum();
    p.setContentSize(p.getContentSize() + custom);
    return p;
  }

  /** The signatures of an encrypted PDF are found with its password. */
  @Override
  protected void readerFor(eu.europa.esig.dss.validation.SignedDocumentValidator validator) {
    if (validator instanceof eu.europa.esig.dss.pades.validation.PDFDocumentValidator pdf) {
      pdf.setPdfObjFactory(Pdfs.objectFactory());
      if (documentPassword != null) {
        pdf.setPasswordProtection(documentPassword.clone());
      }
    }
  }

  @Override
  protected PAdESSignatureParameters extensionParameters(SignatureLevel level, List<DSSDocument> detached) {
    PAdESSignatureParameters p = new PAdESSignatureParameters();
    if (documentPassword != null) {
      p.setPasswordProtection(documentPassword.clone());
    }
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
    return owned(signed, input.name());
  }

  @Override
  protected Document extendedOutput(DSSDocument extended, Document input) {
    return owned(extended, input.name());
  }

  private static Document owned(DSSDocument pdf, String name) {
    return pdf instanceof FileDocument file
        ? Document.ofTemporaryFile(file.getFile().toPath(), name, MediaType.PDF)
        : Dss.document(pdf, name, MediaType.PDF);
  }

  @Override
  protected Map<String, String> encode(PadesOptions o) {
    Map<String, String> m = OptionMap.common(o);
    putIfSet(m, "reason", o.reason());
    putIfSet(m, "location", o.location());
    putIfSet(m, "contactInfo", o.contactInfo());
    putIfSet(m, "signerName", o.signerName());
    VisibleSignatures.encode(o.visibleSignature(), m);
    if (o.certification() != null) {
      m.put("certification", o.certification().name());
    }
    return m;
  }

  @Override
  protected PadesOptions decode(OptionMap m) {
    return PadesOptions.builder().level(m.level()).digestAlgorithm(m.digestAlgorithm())
        .reason(m.text("reason")).location(m.text("location")).contactInfo(m.text("contactInfo"))
        .signerName(m.text("signerName")).visibleSignature(VisibleSignatures.decode(m))
        .certification(m.text("certification") == null ? null
            : org.opendsm.pades.Certification.valueOf(m.text("certification")))
        .signedAttributes(m.signedAttributes()).build();
  }

  /**
   * A certified PDF whose DocMDP permissions forbid another signature, or an encrypted one without
   * (the right) password, said plainly.
   */
  @Override
  protected RuntimeException formatRefusal(RuntimeException e, Document document) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof eu.europa.esig.dss.pades.exception.InvalidPasswordException) {
        return new InvalidDocumentException(document.name() + " is encrypted and "
            + (documentPassword == null ? "needs its password: give it with PadesService.withDocumentPassword(...) (dsm: --pdf-password-env)"
                : "the password given does not open it"), e);
      }
      if (t instanceof eu.europa.esig.dss.pades.exception.ProtectedDocumentException
          || String.valueOf(t.getMessage()).contains("DocMDP")) {
        return new org.opendsm.SigningException(document.name() + " is certified by its author with no change"
            + " permitted (DocMDP P=1): another signature would break the certification. Sign the document as it"
            + " was before it was certified, or ask for one certified with P=2 (form filling and signing)", e);
      }
    }
    return null;
  }

  /** The visible signature's appearance (page counted from the end resolved against this document). */
  @Override
  protected void documentParameters(PAdESSignatureParameters p, Document document, PadesOptions o) {
    if (o.visibleSignature() != null) {
      p.setImageParameters(VisibleSignatures.parameters(o.visibleSignature(), document, o, p));
    }
  }

  @Override
  public byte[] previewAppearance(Document pdf, PadesOptions options, List<java.security.cert.X509Certificate> chain) {
    if (options.visibleSignature() == null) {
      throw new IllegalArgumentException("These options have no visible signature to preview");
    }
    checkSignable(pdf, options);
    PAdESSignatureParameters p = parameters(pdf, options, chain,
        org.opendsm.SignatureAlgorithm.of(org.opendsm.internal.Keys.defaultScheme(chain.get(0).getPublicKey()), options.digestAlgorithm()),
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    try (var op = begin()) {
      DSSDocument image = ((PAdESService) op.dss()).previewPageWithVisualSignature(Dss.document(pdf), p);
      try (InputStream in = image.openStream()) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (eu.europa.esig.dss.model.DSSException | IllegalArgumentException e) {
      throw new InvalidDocumentException("Cannot preview the signature on " + pdf.name() + ": " + e.getMessage(), e);
    }
  }

  private static void putIfSet(Map<String, String> m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
