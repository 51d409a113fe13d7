package org.opendsm;

/**
 * Root of every exception OpenDSM throws on purpose. Unchecked: most callers cannot recover from a
 * malformed document or a refused signature and only need a clear message.
 *
 * <p>The contract, in one place:
 * <ul>
 *   <li>{@link InvalidDocumentException}: the input is not a document we can read (truncated PDF,
 *       invalid XML, random bytes), or is not the document that was prepared.</li>
 *   <li>{@link SigningException}: the key side failed (key store, token, signer).</li>
 *   <li>{@link InvalidSignatureValueException}: a signature value does not verify against the
 *       certificate; nothing was written.</li>
 *   <li>{@link TimestampException}: the time-stamping authority failed or answered garbage.</li>
 *   <li>{@link ExtensionException}: a signature could not be raised to the requested level, for
 *       example because revocation data is unreachable.</li>
 * </ul>
 * JDK exceptions ({@link IllegalArgumentException}, {@link NullPointerException},
 * {@link IllegalStateException}) mean programmer misuse. Messages never contain secrets.
 */
public class DsmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DsmException(String message) {
    super(message);
  }

  public DsmException(String message, Throwable cause) {
    super(message, cause);
  }
}
