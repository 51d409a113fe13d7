package org.opendsm.cades;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignedDocument;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.ExternalTools.Result;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/** Our CAdES, checked by openssl cms (signature and chain) and openssl ts (signature timestamp). */
@Tag("interop")
class CadesInteropTest {
  private static final TestPki PKI = TestPki.shared();
  private static final CadesService CADES = CadesService.create(PKI.serviceSettings());

  @TempDir static Path dir;
  private static Path root;
  private static Path png;

  @BeforeAll
  static void tools() throws IOException {
    ExternalTools.require("openssl", "xxd");
    root = PKI.writeRootPem(dir.resolve("root.pem"));
    png = Files.write(dir.resolve("sample.png"), Samples.bytes("sample.png"));
  }

  static List<Arguments> matrix() {
    List<Arguments> out = new ArrayList<>();
    for (SignatureLevel level : SignatureLevel.values()) {
      for (KeyType key : List.of(KeyType.RSA_2048, KeyType.RSA_PSS_2048, KeyType.EC_P256)) {
        for (SignaturePackaging packaging : List.of(SignaturePackaging.ENVELOPING, SignaturePackaging.DETACHED)) {
          out.add(Arguments.of(level, key, packaging));
        }
      }
    }
    return out;
  }

  @ParameterizedTest(name = "CAdES-{0} {1} {2}")
  @MethodSource("matrix")
  void signed_isAcceptedByOpenssl_andTamperedIsRejected(SignatureLevel level, KeyType key,
      SignaturePackaging packaging) throws IOException {
    SignedDocument signed = CADES.sign(org.opendsm.Document.of(png),
        CadesOptions.builder().level(level).packaging(packaging).build(), PKI.identity(key).signer());
    Path sig = dir.resolve("cades-" + level + "-" + key.label() + "-" + packaging + ".der");
    signed.writeTo(sig);
    boolean detached = packaging == SignaturePackaging.DETACHED;

    Result ok = cmsVerify(sig, detached ? png : null);
    assertThat(ok.output()).as(ok.output()).contains("CMS Verification successful");
    assertThat(ok.exitCode()).isZero();
    if (!detached) {
      assertThat(Files.readAllBytes(dir.resolve("content.out"))).isEqualTo(Files.readAllBytes(png));
    }
    if (level.needsTimestamp()) {
      Result tst = ExternalTools.run(dir, ExternalTools.script("cms-tst-verify.sh", dir).toString(),
          sig.toString(), root.toString());
      assertThat(tst.output()).as(tst.output()).contains("Verification: OK");
    }

    Result rejected = detached ? cmsVerify(sig, tamperedCopy(png)) : cmsVerify(tamperedCopy(sig), null);
    assertThat(rejected.exitCode()).as(rejected.output()).isEqualTo(4);
  }

  private static Result cmsVerify(Path sig, Path content) {
    List<String> cmd = new ArrayList<>(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER",
        "-in", sig.toString(), "-CAfile", root.toString(), "-purpose", "any"));
    if (content != null) {
      cmd.addAll(List.of("-content", content.toString(), "-out", "/dev/null"));
    } else {
      cmd.addAll(List.of("-out", dir.resolve("content.out").toString()));
    }
    return ExternalTools.run(dir, cmd.toArray(new String[0]));
  }

  /** Flips one bit in the middle of the PNG (for .p7m: inside the embedded content). */
  private static Path tamperedCopy(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    byte[] pngBytes = Files.readAllBytes(png);
    int at = indexOf(bytes, pngBytes) + pngBytes.length / 2;
    bytes[at] ^= 1;
    return Files.write(dir.resolve("tampered-" + file.getFileName()), bytes);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("content not found");
  }
}
