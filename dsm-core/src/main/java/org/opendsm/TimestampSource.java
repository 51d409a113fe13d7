package org.opendsm;

import java.net.URI;
import java.time.Duration;
import org.opendsm.internal.HttpTimestampSource;

/**
 * Obtains RFC 3161 timestamp tokens, used for levels T, LT and LTA.
 *
 * <pre>{@code
 * TimestampSource tsa = TimestampSource.rfc3161(URI.create("http://tsa.example/tsr"));
 * }</pre>
 *
 * <p>Implementations must be thread-safe.
 */
public interface TimestampSource {
  /**
   * Returns a DER-encoded {@code TimeStampToken} whose message imprint is {@code digest}.
   *
   * @throws TimestampException when no valid token could be obtained
   */
  byte[] timestamp(DigestAlgorithm digestAlgorithm, byte[] digest);

  /**
   * A time-stamping authority reached over HTTP(S) with {@code application/timestamp-query}. Each
   * request carries a random nonce; the response is checked (status, nonce, imprint, TSA
   * signature) before it is used.
   */
  static TimestampSource rfc3161(URI url) {
    return rfc3161(url, Duration.ofSeconds(30));
  }

  static TimestampSource rfc3161(URI url, Duration timeout) {
    return new HttpTimestampSource(url, timeout);
  }
}
