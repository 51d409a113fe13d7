package org.opendsm.cades;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opendsm.testing.SignatureAssertions.assertFailed;
import static org.opendsm.testing.SignatureAssertions.assertValid;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.opendsm.Document;
import org.opendsm.MediaType;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignedDocument;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

class CadesServiceTest {
  private static final TestPki PKI = TestPki.shared();
  private final CadesService cades = CadesService.create(PKI.serviceSettings());

  static List<Arguments> levelsAndPackagings() {
    List<Arguments> out = new java.util.ArrayList<>();
    for (SignatureLevel level : SignatureLevel.values()) {
      out.add(Arguments.of(level, SignaturePackaging.ENVELOPING));
      out.add(Arguments.of(level, SignaturePackaging.DETACHED));
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("levelsAndPackagings")
  void sign_png_reachesLevel(SignatureLevel level, SignaturePackaging packaging) {
    Document png = Samples.png();
    SignedDocument signed = cades.sign(png,
        CadesOptions.builder().level(level).packaging(packaging).build(), PKI.identity(KeyType.EC_P256).signer());

    List<Document> content = packaging == SignaturePackaging.DETACHED ? List.of(png) : List.of();
    assertValid(signed.document(), content, PKI.trustSettings(), level);
    assertThat(signed.document().name()).isEqualTo(
        packaging == SignaturePackaging.DETACHED ? "sample.png.p7s" : "sample.png.p7m");
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void sign_withEachKeyType_isValid(KeyType keyType) {
    SignedDocument signed = cades.sign(Samples.png(), CadesOptions.builder().build(),
        PKI.identity(keyType).signer());

    assertValid(signed.document(), PKI.trustSettings(), SignatureLevel.B);
  }

  @Test
  void detached_withTamperedContent_fails() {
    SignedDocument p7s = cades.sign(Samples.png(),
        CadesOptions.builder().packaging(SignaturePackaging.DETACHED).build(), PKI.identity(KeyType.EC_P256).signer());
    byte[] tampered = Samples.bytes("sample.png");
    tampered[tampered.length / 2] ^= 1;

    assertFailed(p7s.document(), List.of(Document.of(tampered, "sample.png")), PKI.trustSettings());
  }

  @Test
  void detached_readsTheContentOnceAsAStream() {
    byte[] content = Samples.bytes("sample.png");
    AtomicInteger opens = new AtomicInteger();
    Document streamed = Document.ofStream(() -> {
      opens.incrementAndGet();
      return new ByteArrayInputStream(content);
    }, "streamed.png", MediaType.PNG);

    SignedDocument p7s = cades.sign(streamed,
        CadesOptions.builder().packaging(SignaturePackaging.DETACHED).build(), PKI.identity(KeyType.EC_P256).signer());

    assertThat(opens.get()).isEqualTo(1);
    assertValid(p7s.document(), List.of(Document.of(content, "streamed.png")), PKI.trustSettings(), SignatureLevel.B);
  }

  @Test
  void extend_detachedFromBToLta_reachesLta() {
    Document png = Samples.png();
    SignedDocument b = cades.sign(png, CadesOptions.builder().packaging(SignaturePackaging.DETACHED).build(),
        PKI.identity(KeyType.RSA_2048).signer());

    SignedDocument lta = cades.extend(b.document(), SignatureLevel.LTA, List.of(png));

    assertValid(lta.document(), List.of(png), PKI.trustSettings(), SignatureLevel.LTA);
  }

  @Test
  void prepareThenComplete_detached_afterJsonRoundTrip_isValid() {
    org.opendsm.testing.Identity id = PKI.identity(KeyType.RSA_PSS_2048);
    CadesOptions options = CadesOptions.builder().packaging(SignaturePackaging.DETACHED).build();
    org.opendsm.PreparedSignature prepared = cades.prepare(Samples.png(), options, id.chain(),
        org.opendsm.SignatureAlgorithm.Scheme.RSA_PSS);

    org.opendsm.PreparedSignature restored = org.opendsm.PreparedSignature.fromJson(prepared.toJson());
    org.opendsm.SignatureValue value = id.signer().signDigests(restored.digestAlgorithm(), List.of(restored.digest())).get(0);
    SignedDocument signed = cades.complete(Samples.png(), restored, value);

    assertValid(signed.document(), List.of(Samples.png()), PKI.trustSettings(), SignatureLevel.B);
  }

  @Test
  void complete_withValueOverOtherData_isRefused() {
    org.opendsm.testing.Identity id = PKI.identity(KeyType.EC_P256);
    org.opendsm.PreparedSignature prepared = cades.prepare(Samples.png(), CadesOptions.builder().build(), id.chain());
    org.opendsm.SignatureValue wrong = id.signer().signDigests(org.opendsm.DigestAlgorithm.SHA256,
        List.of(new byte[32])).get(0);

    assertThatThrownBy(() -> cades.complete(Samples.png(), prepared, wrong))
        .isInstanceOf(org.opendsm.InvalidSignatureValueException.class)
        .hasMessageEndingWith("; the document was not modified");
  }

  @Test
  void options_enveloped_isRefusedWithTheAlternatives() {
    assertThatThrownBy(() -> CadesOptions.builder().packaging(SignaturePackaging.ENVELOPED).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CAdES cannot be enveloped (a CMS signature cannot sit inside arbitrary bytes):"
            + " use ENVELOPING or DETACHED");
  }

  /** 48 MiB of deterministic bytes from a stream that has no length and can be read once. */
  private static java.io.InputStream oneShotStream() {
    return new java.io.InputStream() {
      private final java.util.Random random = new java.util.Random(42);
      private long left = 48L << 20;
      private boolean closed;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (closed) {
          throw new IllegalStateException("read after close: the stream was read twice");
        }
        if (left == 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        byte[] chunk = new byte[n];
        random.nextBytes(chunk);
        System.arraycopy(chunk, 0, b, off, n);
        left -= n;
        return n;
      }

      @Override
      public void close() {
        closed = true;
      }
    };
  }

  @Test
  void detached_fromAOneShotStreamOfUnknownLength_signsAndVerifiesByDigest(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    Document streamed;
    try (java.io.InputStream in = oneShotStream()) {
      streamed = Document.digesting(in, "backup.tar", MediaType.OCTET_STREAM);
    }
    assertThat(streamed.hasContent()).isFalse();
    assertThat(streamed.size()).isEmpty();

    SignedDocument p7s = cades.sign(streamed, CadesOptions.builder().packaging(SignaturePackaging.DETACHED)
        .level(SignatureLevel.T).build(), PKI.identity(KeyType.EC_P256).signer());

    assertValid(p7s.document(), List.of(streamed), PKI.trustSettings(), SignatureLevel.T);
    // The same bytes written out: the signature verifies over the real content too, with openssl.
    java.nio.file.Path content = dir.resolve("backup.tar");
    try (java.io.InputStream in = oneShotStream()) {
      java.nio.file.Files.copy(in, content);
    }
    assertValid(p7s.document(), List.of(Document.of(content)), PKI.trustSettings(), SignatureLevel.T);
    java.nio.file.Path sig = dir.resolve("backup.tar.p7s");
    p7s.writeTo(sig);
    java.nio.file.Path root = PKI.writeRootPem(dir.resolve("root.pem"));
    var openssl = org.opendsm.testing.ExternalTools.run(dir, "openssl", "cms", "-verify", "-binary", "-inform", "DER",
        "-in", sig.toString(), "-content", content.toString(), "-CAfile", root.toString(), "-noverify",
        "-out", "/dev/null");
    assertThat(openssl.output()).contains("Verification successful");
    assertThatThrownBy(() -> cades.sign(streamed, CadesOptions.builder().build(),
        PKI.identity(KeyType.EC_P256).signer())).isInstanceOf(org.opendsm.InvalidDocumentException.class)
        .hasMessageContaining("known only by its digests").hasMessageContaining("DETACHED");
  }
}
