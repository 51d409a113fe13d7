package org.opendsm.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opendsm.Document;
import org.opendsm.InvalidDocumentException;
import org.opendsm.TrustSettings;
import org.opendsm.Verifier;

/**
 * Every PDF, XML and CMS file of DSS's published test jars (real-world signatures from several
 * countries and deliberate attacks: byte-range overlaps, shadow attacks, broken attributes),
 * unpacked by the build into target/corpus: each is verified offline or refused as an invalid
 * document, within a bound, with no other exception.
 */
class CorpusTest {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final long MAX_SIZE = 8L << 20;
  private static final Verifier VERIFIER = Verifier.create(TrustSettings.builder().onlineRevocation(false)
      .networkTimeout(Duration.ofSeconds(1)).build());

  @TestFactory
  Stream<DynamicTest> everyCorpusFile_isVerifiedOrRefused() throws Exception {
    Path corpus = Path.of("target", "corpus");
    assertThat(corpus).as("unpacked by the build (maven-dependency-plugin)").isDirectory();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(corpus)) {
      all.filter(Files::isRegularFile).filter(p -> sizeOf(p) <= MAX_SIZE).sorted().forEach(files::add);
    }
    assertThat(files).as("PDF, XML and CMS files").hasSizeGreaterThan(400);
    return files.stream().map(f -> DynamicTest.dynamicTest(corpus.relativize(f).toString(), () -> check(f)));
  }

  /** On a thread of its own, so one file that ignores the interrupt cannot hold up the next. */
  private static void check(Path file) throws Exception {
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "corpus-verifier");
      t.setDaemon(true);
      return t;
    });
    Future<?> run = worker.submit(() -> {
      try {
        VERIFIER.verify(Document.of(file)).signatures()
            .forEach(s -> assertThat(s.indication()).as(file.toString()).isNotNull());
      } catch (InvalidDocumentException refused) {
        assertThat(refused.getMessage()).isNotBlank();
      }
      return null;
    });
    try {
      run.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      run.cancel(true);
      throw new AssertionError(file + " took more than " + BOUND.toSeconds() + " s to verify");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(file + " failed with " + e.getCause(), e.getCause());
    } finally {
      worker.shutdownNow();
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
