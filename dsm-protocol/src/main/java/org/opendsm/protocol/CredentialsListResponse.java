package org.opendsm.protocol;

import java.util.List;

/** {@code credentials/list}; {@code credentialInfos} only when asked for. */
public record CredentialsListResponse(List<String> credentialIDs, List<CredentialInfo> credentialInfos) {}
