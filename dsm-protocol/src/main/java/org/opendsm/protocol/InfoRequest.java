package org.opendsm.protocol;

/** {@code POST info}. */
public record InfoRequest(String lang) {}
