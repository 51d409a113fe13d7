package org.opendsm.server.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpTest {
  private static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  /** RFC 6238 appendix B, SHA-1 rows; six-digit codes are the last six of the eight. */
  @ParameterizedTest
  @CsvSource({"59,287082", "1111111109,081804", "1111111111,050471", "1234567890,005924",
      "2000000000,279037", "20000000000,353130"})
  void code_matchesRfc6238Vectors(long epochSeconds, String expected) {
    assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(epochSeconds)))).isEqualTo(expected);
  }

  @Test
  void match_acceptsOneStepOfDriftEitherWay_only() {
    Instant now = Instant.ofEpochSecond(1_700_000_000L);
    long step = Totp.step(now);

    assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step - 1), now)).hasValue(step - 1);
    assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step), now)).hasValue(step);
    assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step + 1), now)).hasValue(step + 1);
    assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step + 2), now)).isEmpty();
    assertThat(Totp.match(RFC_SECRET, "12345", now)).isEmpty();
    assertThat(Totp.match(RFC_SECRET, "abcdef", now)).isEmpty();
  }

  @Test
  void uri_isWhatAuthenticatorAppsRead() {
    assertThat(Totp.uri("OpenDSM", "alice@example.lu", RFC_SECRET)).isEqualTo(
        "otpauth://totp/OpenDSM:alice%40example.lu?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "&issuer=OpenDSM&algorithm=SHA1&digits=6&period=30");
  }
}
