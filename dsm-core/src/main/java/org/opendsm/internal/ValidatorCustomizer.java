package org.opendsm.internal;

import eu.europa.esig.dss.validation.SignedDocumentValidator;

/**
 * Lets a format module tune the DSS validator it owns (found through {@link java.util.ServiceLoader}),
 * e.g. PAdES turns off page rendering for visual-change detection and keeps PDFs in temp files.
 */
public interface ValidatorCustomizer {
  void customize(SignedDocumentValidator validator);
}
