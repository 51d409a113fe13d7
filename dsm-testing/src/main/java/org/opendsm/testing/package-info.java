/**
 * Test fixtures: a PKI made at run time with its TSA, OCSP responder and CRLs on loopback, sample
 * documents, signature assertions and runners for independent verifiers.
 *
 * <pre>{@code
 * TestPki pki = TestPki.shared();
 * SignedDocument signed = PadesService.create(pki.serviceSettings())
 *     .sign(Samples.pdf(), PadesOptions.builder().level(SignatureLevel.LTA).build(),
 *         pki.identity(KeyType.EC_P256).signer());
 * SignatureAssertions.assertValid(signed.document(), pki.trustSettings(), SignatureLevel.LTA);
 * }</pre>
 *
 * <p>Never use these keys or this PKI outside tests and demos.
 */
package org.opendsm.testing;
