/**
 * The Cloud Signature Consortium API v2 (2.0.0.2) as records, shared by the client and the
 * reference server. Field names are the wire names; {@code null} means absent. Only Jackson
 * annotations, no behaviour.
 *
 * <pre>{@code
 * SignHashRequest request = new SignHashRequest(credentialId, sad, List.of(base64Hash),
 *     "2.16.840.1.101.3.4.2.1", "1.2.840.10045.4.3.2", null, null);
 * }</pre>
 */
package org.opendsm.protocol;
