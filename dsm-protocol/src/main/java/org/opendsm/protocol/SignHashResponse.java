package org.opendsm.protocol;

import java.util.List;

/** Base64 signature values, in request order. */
public record SignHashResponse(List<String> signatures) {}
