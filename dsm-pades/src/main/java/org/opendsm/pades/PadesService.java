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
}
