package org.opendsm.protocol;

/** {@code POST credentials/list}. {@code userID} is needed with a client-credentials token. */
public record CredentialsListRequest(String userID, Boolean credentialInfo, String certificates, Boolean certInfo,
    Boolean authInfo, Boolean onlyValid, String lang, String clientData) {}
