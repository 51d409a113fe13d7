package org.opendsm.protocol;

import java.util.List;

/** {@code info}: what the service is and offers. */
public record InfoResponse(String specs, String name, String logo, String region, String lang, String description,
    List<String> authType, String oauth2, List<String> methods) {}
