package org.opendsm.internal;

import eu.europa.esig.dss.validation.SignedDocumentValidator;

/**
 * Lets a format module tune the DSS validator it owns (found through {@link java.util.ServiceLoader}),
 * e.g. PAdES turns off page rendering for visual-change detection and keeps PDFs in temp files.
 */
public interface ValidatorCustomizer {
  void customize(SignedDocumentValidator validator);

  /** Gives {@code validator} the password of an encrypted document, if its format has such a thing. */
  default void documentPassword(SignedDocumentValidator validator, char[] password) {}
}
