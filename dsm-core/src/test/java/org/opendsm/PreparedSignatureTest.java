package org.opendsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreparedSignatureTest {
  @Test
  void json_roundTrip_keepsEveryField() throws Exception {
    var kp = TestKeys.generate("EC");
    PreparedSignature p = new PreparedSignature(SignatureFormat.PADES, Map.of("level", "LTA", "reason", "Loan"),
        SignatureAlgorithm.ECDSA_SHA256, Instant.parse("2026-11-26T10:15:30Z"),
        List.of(TestKeys.selfSigned(kp, "CN=Alice")), "contract.pdf", new byte[32], new byte[32]);

    PreparedSignature back = PreparedSignature.fromJson(p.toJson());

    assertThat(back).isEqualTo(p);
    assertThat(back.options()).containsEntry("reason", "Loan");
    assertThat(back.certificateChain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=Alice");
  }

  @Test
  void constructor_withDigestOfWrongLength_isRefused() throws Exception {
    var cert = TestKeys.selfSigned(TestKeys.generate("EC"), "CN=Alice");

    assertThatThrownBy(() -> new PreparedSignature(SignatureFormat.CADES, Map.of(), SignatureAlgorithm.ECDSA_SHA384,
        Instant.now(), List.of(cert), "a.bin", new byte[32], new byte[32]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("digest must be 48 bytes, got 32");
  }

  @Test
  void fromJson_withGarbage_saysItIsNotAPreparedSignature() {
    assertThatThrownBy(() -> PreparedSignature.fromJson("{\"version\":1,\"surprise\":true}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Not a prepared signature: ");
  }
}
