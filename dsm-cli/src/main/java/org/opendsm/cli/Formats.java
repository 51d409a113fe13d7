package org.opendsm.cli;

import java.util.Locale;
import org.opendsm.Document;
import org.opendsm.MediaType;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureFormat;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignedDocument;
import org.opendsm.Signer;
import org.opendsm.cades.CadesOptions;
import org.opendsm.cades.CadesService;
import org.opendsm.pades.PadesOptions;
import org.opendsm.pades.PadesService;
import org.opendsm.xades.XadesOptions;
import org.opendsm.xades.XadesService;

/** Chooses and drives the format service for a command. */
final class Formats {
  private Formats() {}

  static SignatureFormat parse(String text) {
    try {
      return SignatureFormat.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Unknown format '" + text + "': use pades, cades or xades", e);
    }
  }

  /** PDF → PAdES, XML → XAdES, anything else → CAdES. */
  static SignatureFormat guess(Document document) {
    MediaType type = document.mediaType();
    if (type.equals(MediaType.PDF)) {
      return SignatureFormat.PADES;
    }
    if (type.equals(MediaType.XML)) {
      return SignatureFormat.XADES;
    }
    return SignatureFormat.CADES;
  }

  static SignedDocument sign(SignatureFormat format, Document document, SignatureLevel level,
      SignaturePackaging packaging, ServiceSettings settings, Signer signer) {
    return sign(format, document, level, packaging, settings, signer, PadesOptions.builder(),
        org.opendsm.SignedAttributes.NONE, Extras.NONE);
  }

  /**
   * Format-specific choices: XAdES canonicalisation and what it covers, CAdES content hints.
   *
   * @param canonicalization {@code null} for the default
   * @param signedElementIds enveloped XAdES: sign these elements
   * @param signedXPath enveloped XAdES: sign what this selects; {@code null} for the whole document
   * @param contentHints CAdES content hints; {@code null} for none
   * @param pdfPassword the open password of an encrypted PDF; {@code null} for none
   */
  record Extras(org.opendsm.xades.Canonicalization canonicalization, java.util.List<String> signedElementIds,
      String signedXPath, org.opendsm.cades.ContentHints contentHints, org.opendsm.Secret pdfPassword) {
    static final Extras NONE = new Extras(null, java.util.List.of(), null, null, null);

    boolean xadesOnly() {
      return canonicalization != null || !signedElementIds.isEmpty() || signedXPath != null;
    }
  }

  /** As above; a PDF gets {@code pades}'s reason, location and visible signature; every format {@code attributes}. */
  static SignedDocument sign(SignatureFormat format, Document document, SignatureLevel level,
      SignaturePackaging packaging, ServiceSettings settings, Signer signer, PadesOptions.Builder pades,
      org.opendsm.SignedAttributes attributes, Extras extras) {
    if (format != SignatureFormat.XADES && extras.xadesOnly()) {
      throw new IllegalArgumentException("--c14n, --sign-element and --sign-xpath are for XML (XAdES) only");
    }
    if (format != SignatureFormat.CADES && extras.contentHints() != null) {
      throw new IllegalArgumentException("--content-hints is for CAdES only");
    }
    if (format != SignatureFormat.PADES && extras.pdfPassword() != null) {
      throw new IllegalArgumentException("--pdf-password-env is for PDF (PAdES) only");
    }
    return switch (format) {
      case PADES -> {
        if (packaging != null && packaging != SignaturePackaging.ENVELOPED) {
          throw new IllegalArgumentException("PAdES signatures are always enveloped in the PDF");
        }
        PadesService service = PadesService.create(settings);
        if (extras.pdfPassword() != null) {
          service = service.withDocumentPassword(extras.pdfPassword());
        }
        yield service.sign(document, pades.level(level).signedAttributes(attributes).build(), signer);
      }
      case CADES -> CadesService.create(settings).sign(document, CadesOptions.builder().level(level)
          .packaging(packaging == null ? SignaturePackaging.ENVELOPING : packaging).signedAttributes(attributes)
          .contentHints(extras.contentHints()).build(), signer);
      case XADES -> {
        XadesOptions.Builder b = XadesOptions.builder().level(level)
            .packaging(packaging == null ? SignaturePackaging.ENVELOPED : packaging).signedAttributes(attributes)
            .signedXPath(extras.signedXPath());
        if (extras.canonicalization() != null) {
          b.canonicalization(extras.canonicalization());
        }
        extras.signedElementIds().forEach(b::signedElement);
        yield XadesService.create(settings).sign(document, b.build(), signer);
      }
    };
  }
}
