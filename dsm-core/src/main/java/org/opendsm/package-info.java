/**
 * OpenDSM core: documents, signers, two-phase signing, timestamps, trust and verification.
 *
 * <pre>{@code
 * try (LocalSigner signer = LocalSigner.pkcs12(Path.of("me.p12"), password).build()) {
 *   SignedDocument signed = PadesService.create(ServiceSettings.defaults())
 *       .sign(Document.of(Path.of("in.pdf")), PadesOptions.builder().build(), signer);
 *   VerificationReport report = Verifier.create(TrustSettings.builder()
 *       .addTrustAnchors(Path.of("root.pem")).build()).verify(signed.document());
 * }
 * }</pre>
 *
 * <p>Format services live in {@code org.opendsm.pades}, {@code org.opendsm.cades} and
 * {@code org.opendsm.xades}. Everything under {@code org.opendsm.internal} may change without
 * notice. Errors: see {@link org.opendsm.DsmException}.
 */
package org.opendsm;
