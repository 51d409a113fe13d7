/**
 * PAdES: signatures inside PDF documents.
 *
 * <pre>{@code
 * PadesService pades = PadesService.create(ServiceSettings.defaults());
 * try (LocalSigner signer = LocalSigner.pkcs12(Path.of("me.p12"), password).build()) {
 *   pades.sign(Document.of(Path.of("in.pdf")), PadesOptions.builder().build(), signer)
 *       .writeTo(Path.of("out.pdf"));
 * }
 * }</pre>
 *
 * <p>Two-phase signing for remote keys: {@link org.opendsm.SignatureService#prepare},
 * then {@link org.opendsm.SignatureService#complete}.
 */
package org.opendsm.pades;
