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
        org.opendsm.SignedAttributes.NONE);
  }

  /** As above; a PDF gets {@code pades}'s reason, location and visible signature; every format {@code attributes}. */
  static SignedDocument sign(SignatureFormat format, Document document, SignatureLevel level,
      SignaturePackaging packaging, ServiceSettings settings, Signer signer, PadesOptions.Builder pades,
      org.opendsm.SignedAttributes attributes) {
    return switch (format) {
      case PADES -> {
        if (packaging != null && packaging != SignaturePackaging.ENVELOPED) {
          throw new IllegalArgumentException("PAdES signatures are always enveloped in the PDF");
        }
        yield PadesService.create(settings).sign(document, pades.level(level).signedAttributes(attributes).build(),
            signer);
      }
      case CADES -> CadesService.create(settings).sign(document, CadesOptions.builder().level(level)
          .packaging(packaging == null ? SignaturePackaging.ENVELOPING : packaging).signedAttributes(attributes)
          .build(), signer);
      case XADES -> XadesService.create(settings).sign(document, XadesOptions.builder().level(level)
          .packaging(packaging == null ? SignaturePackaging.ENVELOPED : packaging).signedAttributes(attributes)
          .build(), signer);
    };
  }
}
