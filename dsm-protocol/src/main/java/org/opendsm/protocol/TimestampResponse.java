package org.opendsm.protocol;

/** A base64 DER TimeStampToken. */
public record TimestampResponse(String timestamp) {}
