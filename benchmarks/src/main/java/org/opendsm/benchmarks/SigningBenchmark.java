package org.opendsm.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Document;
import org.opendsm.LocalSigner;
import org.opendsm.ServiceSettings;
import org.opendsm.SignaturePackaging;
import org.opendsm.SignatureService;
import org.opendsm.SignedDocument;
import org.opendsm.cades.CadesOptions;
import org.opendsm.cades.CadesService;
import org.opendsm.pades.PadesOptions;
import org.opendsm.pades.PadesService;
import org.opendsm.testing.KeyType;
import org.opendsm.testing.TestPki;
import org.opendsm.xades.XadesOptions;
import org.opendsm.xades.XadesService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Level-B signing latency (prepare + sign the digest + complete) per format and size, next to its
 * baselines measured in the same run: one SHA-256 pass over the same file, and one raw signature
 * with the same key and provider.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SigningBenchmark {
  @Param({"pades:50K", "pades:1M", "pades:20M", "cades-detached:1M", "cades-detached:100M",
      "xades-enveloped:10K", "xades-enveloped:5M", "xades-detached:5M"})
  public String input;

  private Path dir;
  private Path file;
  private SignatureService<?> service;
  private Runnable sign;
  private LocalSigner signer;
  private TestPki pki;
  private byte[] digest;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("dsm-bench");
    String[] parts = input.split(":");
    long size = parseSize(parts[1]);
    pki = TestPki.start();
    signer = pki.identity(KeyType.EC_P256).signer();
    ServiceSettings settings = ServiceSettings.defaults();
    digest = DigestAlgorithm.SHA256.digest(new byte[] {1});
    switch (parts[0]) {
      case "pades" -> {
        file = Inputs.pdf(dir, size);
        PadesService pades = PadesService.create(settings);
        sign = () -> consume(pades.sign(Document.of(file), PadesOptions.builder().build(), signer));
      }
      case "cades-detached" -> {
        file = Inputs.binary(dir, size);
        CadesService cades = CadesService.create(settings);
        CadesOptions options = CadesOptions.builder().packaging(SignaturePackaging.DETACHED).build();
        sign = () -> consume(cades.sign(Document.of(file), options, signer));
      }
      case "xades-enveloped", "xades-detached" -> {
        file = Inputs.xml(dir, size);
        XadesService xades = XadesService.create(settings);
        XadesOptions options = XadesOptions.builder().packaging(parts[0].endsWith("detached")
            ? SignaturePackaging.DETACHED : SignaturePackaging.ENVELOPED).build();
        sign = () -> consume(xades.sign(Document.of(file), options, signer));
      }
      default -> throw new IllegalArgumentException(input);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    pki.close();
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  /** Baseline: one JDK SHA-256 pass over the input file (a fresh document each time). */
  @Benchmark
  public byte[] sha256Pass() {
    return Document.of(file).digest(DigestAlgorithm.SHA256);
  }

  /** Baseline: one raw EC P-256 signature of a digest, same key and provider. */
  @Benchmark
  public Object rawSign() {
    return signer.signDigests(DigestAlgorithm.SHA256, List.of(digest));
  }

  /** prepare + signDigests + complete, level B. */
  @Benchmark
  public void signLevelB() {
    sign.run();
  }

  /** The caller always writes the result somewhere: read it once, as writing would. */
  static void consume(SignedDocument signed) {
    signed.document().writeTo(java.io.OutputStream.nullOutputStream());
  }

  static long parseSize(String s) {
    long unit = s.endsWith("K") ? 1024 : s.endsWith("M") ? 1024 * 1024 : 1;
    return Long.parseLong(s.replaceAll("[KM]$", "")) * unit;
  }
}
