package org.opendsm.pades;

import org.opendsm.ServiceSettings;
import org.opendsm.SignatureService;
import org.opendsm.pades.internal.DefaultPadesService;

/**
 * PAdES baseline signatures (B, T, LT, LTA) on PDF documents.
 *
 * <pre>{@code
 * PadesService pades = PadesService.create(ServiceSettings.builder()
 *     .timestampSource(TimestampSource.rfc3161(tsaUrl)).build());
 * SignedDocument signed = pades.sign(Document.of(Path.of("contract.pdf")),
 *     PadesOptions.builder().level(SignatureLevel.LTA).reason("Loan agreement").build(), signer);
 * signed.writeTo(Path.of("contract-signed.pdf"));
 * }</pre>
 *
 * <p>Large PDFs are processed through temporary files, not held whole in the heap. Each signature
 * is an incremental update: earlier signatures stay valid. Thread-safe.
 */
public interface PadesService extends SignatureService<PadesOptions> {
  static PadesService create(ServiceSettings settings) {
    return new DefaultPadesService(settings);
  }

  /**
   * This service for a PDF encrypted with a user (open) password: it opens the document with
   * {@code password} at every step (prepare and complete alike) and keeps a copy of it for its
   * lifetime, so make one for the document at hand. A PDF protected by an owner password alone
   * needs none.
   */
  PadesService withDocumentPassword(org.opendsm.Secret password);

  /**
   * The page that will carry the visible signature, rendered to PNG with the signature's
   * appearance as {@code options} and the signer's {@code certificateChain} will make it (the time
   * shown is now): what the user sees before signing.
   *
   * @throws IllegalArgumentException if {@code options} has no visible signature
   * @throws org.opendsm.InvalidDocumentException if {@code pdf} cannot be read or has no such page
   */
  byte[] previewAppearance(org.opendsm.Document pdf, PadesOptions options,
      java.util.List<java.security.cert.X509Certificate> certificateChain);
}
