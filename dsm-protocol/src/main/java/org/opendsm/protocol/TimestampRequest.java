package org.opendsm.protocol;

/** {@code POST signatures/timestamp}: an RFC 3161 token over one base64 hash; nonce in hex. */
public record TimestampRequest(String hash, String hashAlgorithmOID, String nonce, String clientData) {}
