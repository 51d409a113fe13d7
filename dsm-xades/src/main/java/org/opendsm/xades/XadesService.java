package org.opendsm.xades;

import org.opendsm.Signer;
import org.opendsm.SignedDocument;
import org.opendsm.Document;
import org.opendsm.ServiceSettings;
import org.opendsm.SignatureService;
import org.opendsm.xades.internal.DefaultXadesService;

/**
 * XAdES baseline signatures (B, T, LT, LTA): enveloped in an XML document, enveloping any
 * content, or detached.
 *
 * <pre>{@code
 * XadesService xades = XadesService.create(ServiceSettings.defaults());
 * SignedDocument signed = xades.sign(Document.of(Path.of("invoice.xml")),
 *     XadesOptions.builder().build(), signer);   // enveloped by default
 * }</pre>
 *
 * <p>XML input is parsed with DTDs and external entities disabled. Thread-safe.
 */
public interface XadesService extends SignatureService<XadesOptions> {
  static XadesService create(ServiceSettings settings) {
    return new DefaultXadesService(settings);
  }

  /**
   * Counter-signs one signature of {@code signed}: the counter-signer signs that signature's
   * {@code SignatureValue} (XAdES CounterSignature, an unsigned property of the signature it
   * counter-signs, which stays valid). To add an independent signature instead, sign the signed
   * document again: an enveloped signature leaves the earlier ones valid.
   *
   * @param signatureId the id a verification report gives that signature
   * @throws IllegalArgumentException if no signature has that id (the message lists those there are)
   */
  SignedDocument counterSign(Document signed, String signatureId, Signer signer);

  /**
   * One detached signature over several files, with a reference to each by its name; verify it
   * with the files as detached contents. {@code options} must say DETACHED.
   */
  SignedDocument signFiles(java.util.List<Document> files, XadesOptions options, Signer signer);
}
