/**
 * CAdES: CMS signatures over any content, attached (.p7m) or detached (.p7s).
 *
 * <pre>{@code
 * CadesService cades = CadesService.create(ServiceSettings.defaults());
 * SignedDocument p7m = cades.sign(Document.of(Path.of("photo.png")), CadesOptions.builder().build(), signer);
 * }</pre>
 */
package org.opendsm.cades;
