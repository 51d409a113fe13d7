package org.opendsm.cades;

import org.opendsm.Signer;
import org.opendsm.SignedDocument;
import org.opendsm.Document;
import java.util.List;
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

  /**
   * Adds a parallel signature: another signer signs the same content, independently of those
   * who signed before (a new SignerInfo in the same CMS; earlier signatures are untouched). A
   * detached signature needs its content; an enveloping one carries it ({@code List.of()}). The
   * packaging follows from that; {@code options} give the level, digest and signed attributes.
   *
   * @throws org.opendsm.InvalidDocumentException if {@code signed} is not a CMS signature
   */
  SignedDocument addSignature(Document signed, List<Document> detachedContent, CadesOptions options, Signer signer);

  /**
   * Counter-signs one signature of {@code signed}: the counter-signer signs that signature's value
   * (RFC 5652 11.4), e.g. a notary confirming a client's signature. The counter-signature is an
   * unsigned attribute of the signature it counter-signs, which stays valid.
   *
   * @param signatureId the id a verification report gives that signature ({@link
   *     org.opendsm.SignatureReport#id()})
   * @throws IllegalArgumentException if no signature has that id (the message lists those there are)
   */
  SignedDocument counterSign(Document signed, String signatureId, Signer signer);
}
