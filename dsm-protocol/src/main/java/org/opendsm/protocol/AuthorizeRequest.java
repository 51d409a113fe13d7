package org.opendsm.protocol;

import java.util.List;

/** {@code POST credentials/authorize} (explicit mode); hashes are base64. */
public record AuthorizeRequest(String credentialID, Integer numSignatures, List<String> hashes,
    String hashAlgorithmOID, List<AuthData> authData, String description, String clientData) {}
