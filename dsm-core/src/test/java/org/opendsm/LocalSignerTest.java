package org.opendsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Signature;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalSignerTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"EC,false,SHA256withECDSA", "RSA,false,SHA256withRSA", "RSA,true,SHA256withRSAandMGF1"})
  void signDigests_producesValuesThatVerifyOverTheData(String keyAlg, boolean pss, String verifyAlg)
      throws Exception {
    byte[] data1 = "first".getBytes();
    byte[] data2 = "second".getBytes();
    try (LocalSigner signer = LocalSigner.keyStore(TestKeys.keyStore("k", keyAlg), TestKeys.PASSWORD)
        .rsaPss(pss).build()) {
      List<SignatureValue> values = signer.signDigests(DigestAlgorithm.SHA256,
          List.of(DigestAlgorithm.SHA256.digest(data1), DigestAlgorithm.SHA256.digest(data2)));

      assertThat(values).hasSize(2);
      assertThat(verify(verifyAlg, signer, data1, values.get(0))).isTrue();
      assertThat(verify(verifyAlg, signer, data2, values.get(1))).isTrue();
      assertThat(verify(verifyAlg, signer, data2, values.get(0))).isFalse();
    }
  }

  @Test
  void pkcs12_withWrongPassword_saysSoWithoutThePassword() throws Exception {
    Path p12 = writePkcs12(TestKeys.keyStore("k", "EC"));

    assertThatThrownBy(() -> LocalSigner.pkcs12(p12, "wrong-secret".toCharArray()))
        .isInstanceOf(SigningException.class)
        .hasMessage("Cannot open key store " + p12 + ": wrong password, or not a PKCS#12 file")
        .message().doesNotContain("wrong-secret");
  }

  @Test
  void build_withSeveralKeysAndNoAlias_namesTheChoices() throws Exception {
    KeyStore ks = TestKeys.keyStore("alice", "EC", "bob", "EC");

    assertThatThrownBy(() -> LocalSigner.keyStore(ks, TestKeys.PASSWORD).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("The key store holds several keys [")
        .hasMessageContaining("alice").hasMessageContaining("bob")
        .hasMessageEndingWith("]: choose one with alias(...)");
  }

  @Test
  void build_withAlias_picksThatKey() throws Exception {
    KeyStore ks = TestKeys.keyStore("alice", "EC", "bob", "RSA");

    try (LocalSigner signer = LocalSigner.keyStore(ks, TestKeys.PASSWORD).alias("bob").build()) {
      assertThat(signer.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=bob");
      assertThat(signer.signatureAlgorithm(DigestAlgorithm.SHA384)).isEqualTo(SignatureAlgorithm.RSA_SHA384);
    }
  }

  @Test
  void rsaPss_onEcKey_isRefused() throws Exception {
    KeyStore ks = TestKeys.keyStore("k", "EC");

    assertThatThrownBy(() -> LocalSigner.keyStore(ks, TestKeys.PASSWORD).rsaPss(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rsaPss(true) needs an RSA key");
  }

  @Test
  void signDigests_withWrongLength_isRefused() throws Exception {
    try (LocalSigner signer = LocalSigner.keyStore(TestKeys.keyStore("k", "EC"), TestKeys.PASSWORD).build()) {
      assertThatThrownBy(() -> signer.signDigests(DigestAlgorithm.SHA256, List.of(new byte[20])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("A SHA256 digest has 32 bytes, got 20");
    }
  }

  private Path writePkcs12(KeyStore ks) throws Exception {
    Path p = dir.resolve("k.p12");
    try (OutputStream out = Files.newOutputStream(p)) {
      ks.store(out, TestKeys.PASSWORD);
    }
    return p;
  }

  private static boolean verify(String alg, LocalSigner signer, byte[] data, SignatureValue value)
      throws Exception {
    Signature s = Signature.getInstance(alg, new BouncyCastleProvider());
    s.initVerify(signer.certificate().getPublicKey());
    s.update(data);
    return s.verify(value.value());
  }
}
