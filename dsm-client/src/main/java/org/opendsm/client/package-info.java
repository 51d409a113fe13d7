/**
 * A client of CSC API v2 signing services: {@link org.opendsm.client.DsmClient} for the calls,
 * {@link org.opendsm.client.RemoteSigner} to sign any format's documents with a remote key, and
 * {@link org.opendsm.client.ServerTimestampSource} for the service's TSA.
 *
 * <pre>{@code
 * DsmClient client = DsmClient.builder().baseUrl(url).clientId("bank").clientSecret(secret).build();
 * RemoteSigner signer = RemoteSigner.builder(client).userId("alice")
 *     .authorization(AuthorizationProvider.terminal()).build();
 * PadesService.create(ServiceSettings.builder().timestampSource(new ServerTimestampSource(client)).build())
 *     .sign(Document.of(Path.of("contract.pdf")), PadesOptions.builder().level(SignatureLevel.T).build(), signer);
 * }</pre>
 */
package org.opendsm.client;
