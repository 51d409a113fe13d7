/**
 * XAdES: XML signatures, enveloped, enveloping or detached.
 *
 * <pre>{@code
 * XadesService xades = XadesService.create(ServiceSettings.defaults());
 * SignedDocument signed = xades.sign(Document.of(Path.of("invoice.xml")), XadesOptions.builder().build(), signer);
 * }</pre>
 */
package org.opendsm.xades;
