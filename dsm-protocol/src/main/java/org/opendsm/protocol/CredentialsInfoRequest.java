package org.opendsm.protocol;

/** {@code POST credentials/info}; {@code certificates} is none, single or chain. */
public record CredentialsInfoRequest(String credentialID, String certificates, Boolean certInfo, Boolean authInfo,
    String lang, String clientData) {}
