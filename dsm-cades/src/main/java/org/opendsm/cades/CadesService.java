package org.opendsm.cades;

import org.opendsm.ServiceSettings;
import org.opendsm.SignatureService;
import org.opendsm.cades.internal.DefaultCadesService;

/**
 * CAdES baseline signatures (B, T, LT, LTA) over any bytes: images, archives, binaries.
 *
 * <pre>{@code
 * CadesService cades = CadesService.create(ServiceSettings.defaults());
 * SignedDocument p7s = cades.sign(Document.of(Path.of("scan.png")),
 *     CadesOptions.builder().packaging(SignaturePackaging.DETACHED).build(), signer);
 * p7s.writeTo(Path.of("scan.png.p7s"));
 * }</pre>
 *
 * <p>Signing reads the content as a stream with the JDK's digest: a file of any size is never
 * loaded whole. An enveloping (.p7m) result is assembled while it is written, from the content
 * document, so that document must stay readable and unchanged until the result is written. Verify
 * a detached signature with {@code verifier.verify(p7s, List.of(content))}. Thread-safe.
 */
public interface CadesService extends SignatureService<CadesOptions> {
  static CadesService create(ServiceSettings settings) {
    return new DefaultCadesService(settings);
  }
}
