package org.opendsm.xades;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opendsm.Document;
import org.opendsm.SignatureLevel;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignedDocument;
import org.opendsm.testing.ExternalTools;
import org.opendsm.testing.ExternalTools.Result;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.Samples;
import org.opendsm.testing.TestPki;

/** Our XAdES, checked by xmlsec1 (references, signature, chain) and openssl ts (XAdES-T). */
@Tag("interop")
class XadesInteropTest {
  private static final TestPki PKI = TestPki.shared();
  private static final XadesService XADES = XadesService.create(PKI.serviceSettings());

  @TempDir static Path dir;
  private static Path root;
  private static Path xml;

  @BeforeAll
  static void tools() throws IOException {
    ExternalTools.require("xmlsec1", "openssl", "xxd");
    root = PKI.writeRootPem(dir.resolve("root.pem"));
    xml = Files.write(dir.resolve("sample.xml"), Samples.bytes("sample.xml"));
  }

  static List<Arguments> matrix() {
    List<Arguments> out = new ArrayList<>();
    for (SignatureLevel level : SignatureLevel.values()) {
      // xmlsec1 1.2.37 does not implement RSASSA-PSS (xmldsig-more#sha256-rsa-MGF1): PSS XAdES
      // is proved by DSS validation in XadesServiceTest only.
      for (KeyType key : List.of(KeyType.RSA_2048, KeyType.EC_P256, KeyType.EC_P384)) {
        for (SignaturePackaging packaging : SignaturePackaging.values()) {
          out.add(Arguments.of(level, key, packaging));
        }
      }
    }
    return out;
  }

  @ParameterizedTest(name = "XAdES-{0} {1} {2}")
  @MethodSource("matrix")
  void signed_isAcceptedByXmlsec1_andTamperedIsRejected(SignatureLevel level, KeyType key,
      SignaturePackaging packaging) throws IOException {
    SignedDocument signed = XADES.sign(Document.of(xml),
        XadesOptions.builder().level(level).packaging(packaging).build(), PKI.identity(key).signer());
    Path sig = dir.resolve("xades-" + level + "-" + key.label() + "-" + packaging + ".xml");
    signed.writeTo(sig);

    Result ok = xmlsec1(dir, sig);
    assertThat(ok.exitCode()).as(ok.output()).isZero();
    assertThat(ok.output()).contains("OK");
    if (level.needsTimestamp()) {
      Result tst = ExternalTools.run(dir, ExternalTools.script("xades-tst-verify.sh", dir).toString(),
          sig.toString(), root.toString());
      assertThat(tst.output()).as(tst.output()).contains("Verification: OK");
    }

    Result rejected = switch (packaging) {
      case ENVELOPED -> xmlsec1(dir, rewrite(sig, "25000.00", "95000.00"));
      case ENVELOPING -> xmlsec1(dir, flipFirstObjectChar(sig));
      case DETACHED -> {
        Path other = Files.createDirectories(dir.resolve("tampered-" + level + key + packaging));
        Files.writeString(other.resolve("sample.xml"),
            Files.readString(xml).replace("25000.00", "95000.00"));
        yield xmlsec1(other, sig);
      }
    };
    assertThat(rejected.exitCode()).as(rejected.output()).isEqualTo(1);
  }

  /** Detached references resolve relative to the working directory, as xmlsec1 documents. */
  private static Result xmlsec1(Path workDir, Path sig) {
    return ExternalTools.run(workDir, "xmlsec1", "--verify", "--trusted-pem", root.toString(),
        "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", sig.toString());
  }

  private static Path rewrite(Path sig, String from, String to) throws IOException {
    String text = Files.readString(sig, StandardCharsets.UTF_8);
    assertThat(text).contains(from);
    return Files.writeString(dir.resolve("tampered-" + sig.getFileName()), text.replace(from, to));
  }

  /** Changes the first base64 character of the enveloped content (still valid base64). */
  private static Path flipFirstObjectChar(Path sig) throws IOException {
    String text = Files.readString(sig, StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("<ds:Object[^>]*>([A-Za-z0-9+/])").matcher(text);
    assertThat(m.find()).as("enveloped object").isTrue();
    char c = m.group(1).charAt(0);
    String flipped = text.substring(0, m.start(1)) + (c == 'A' ? 'B' : 'A') + text.substring(m.end(1));
    return Files.writeString(dir.resolve("tampered-" + sig.getFileName()), flipped);
  }
}
