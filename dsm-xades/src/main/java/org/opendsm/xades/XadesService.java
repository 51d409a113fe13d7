package org.opendsm.xades;

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
}
