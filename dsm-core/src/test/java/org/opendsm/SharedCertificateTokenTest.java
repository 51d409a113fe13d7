package org.opendsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.opendsm.internal.Dss;

/** DSS tokens are shared per certificate and remember their signature checks without changing them. */
class SharedCertificateTokenTest {

  @Test
  void equalCertificates_shareOneToken() throws Exception {
    X509Certificate root = TestKeys.selfSigned(TestKeys.generate("EC"), "CN=Shared Root");
    X509Certificate copy = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(root.getEncoded()));

    assertThat(Dss.token(copy)).isSameAs(Dss.token(root));
    assertThat(Dss.tokens(java.util.List.of(root, copy))).allSatisfy(t -> assertThat(t).isSameAs(Dss.token(root)));
  }

  @Test
  void rememberedChecks_giveTheSameAnswers_forTheRightAndTheWrongKey() throws Exception {
    KeyPair rootKeys = TestKeys.generate("EC");
    var root = Dss.token(TestKeys.selfSigned(rootKeys, "CN=Memo Root"));
    var stranger = Dss.token(TestKeys.selfSigned(TestKeys.generate("EC"), "CN=Memo Root"));

    for (int i = 0; i < 3; i++) {
      assertThat(root.isSignedBy(root)).isTrue();
      assertThat(root.isSignedBy(stranger)).isFalse();
      assertThat(stranger.isSignedBy(root)).isFalse();
      assertThat(root.isSignedBy(rootKeys.getPublic())).isTrue();
    }
  }
}
