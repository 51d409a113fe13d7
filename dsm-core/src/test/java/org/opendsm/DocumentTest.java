package org.opendsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentTest {
  @TempDir Path dir;

  @Test
  void of_path_takesNameAndTypeFromTheFile() throws Exception {
    Path pdf = Files.write(dir.resolve("contract.pdf"), new byte[] {1, 2, 3});

    Document d = Document.of(pdf);

    assertThat(d.name()).isEqualTo("contract.pdf");
    assertThat(d.mediaType()).isEqualTo(MediaType.PDF);
    assertThat(d.size()).hasValue(3);
  }

  @Test
  void of_missingFile_isInvalidDocument() {
    assertThatThrownBy(() -> Document.of(dir.resolve("nope.pdf")))
        .isInstanceOf(InvalidDocumentException.class)
        .hasMessage("No such file: " + dir.resolve("nope.pdf"));
  }

  @Test
  void digest_isComputedOncePerAlgorithm() {
    AtomicInteger opens = new AtomicInteger();
    byte[] content = "hello".getBytes();
    Document d = Document.ofStream(() -> {
      opens.incrementAndGet();
      return new ByteArrayInputStream(content);
    }, "hello.txt", MediaType.OCTET_STREAM);

    byte[] first = d.digest(DigestAlgorithm.SHA256);
    byte[] second = d.digest(DigestAlgorithm.SHA256);

    assertThat(first).isEqualTo(second).isEqualTo(DigestAlgorithm.SHA256.digest(content));
    assertThat(opens.get()).isEqualTo(1);
  }

  @Test
  void bytes_areCopiedIn() {
    byte[] content = {1, 2, 3};
    Document d = Document.of(content, "a.bin");
    content[0] = 9;

    assertThat(d.readAllBytes()).containsExactly(1, 2, 3);
  }

  @Test
  void writeTo_replacesTheTarget() throws Exception {
    Path target = Files.write(dir.resolve("out.bin"), new byte[] {7});

    Document.of(new byte[] {1, 2}, "a.bin").writeTo(target);

    assertThat(Files.readAllBytes(target)).containsExactly(1, 2);
    assertThat(dir.toFile().list()).containsExactly("out.bin");
  }

  @Test
  void parsers_sayWhatTheyAccept() {
    assertThat(SignatureLevel.parse("b-lta")).isEqualTo(SignatureLevel.LTA);
    assertThat(DigestAlgorithm.parse("sha-384")).isEqualTo(DigestAlgorithm.SHA384);
    assertThatThrownBy(() -> DigestAlgorithm.parse("SHA1"))
        .hasMessage("Unsupported digest algorithm 'SHA1': use SHA256, SHA384 or SHA512"
            + " (SHA-1 is not allowed for new signatures)");
    assertThatThrownBy(() -> SignatureLevel.parse("X"))
        .hasMessage("Unknown signature level 'X': use B, T, LT or LTA");
  }
}
