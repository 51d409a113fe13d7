package org.opendsm.pades;

/**
 * A certification (author) signature's DocMDP permissions: what may change in the document after
 * it, approval signatures included or not (ISO 32000-1, 12.8.2.2).
 */
public enum Certification {
  /** P=1: no change at all, not even another signature. */
  NO_CHANGES(1),
  /** P=2: filling in forms, instantiating page templates and signing. */
  FORM_FILLING_AND_SIGNING(2),
  /** P=3: as P=2, plus annotations. */
  ANNOTATIONS_FORM_FILLING_AND_SIGNING(3);

  private final int permission;

  Certification(int permission) {
    this.permission = permission;
  }

  /** The /P value of the DocMDP transform. */
  public int permission() {
    return permission;
  }
}
