package org.opendsm.benchmarks;

import java.security.KeyPair;
import java.security.Provider;
import java.util.concurrent.TimeUnit;
import org.opendsm.DigestAlgorithm;
import org.opendsm.SignatureAlgorithm;
import org.opendsm.internal.DigestSignatures;
import org.opendsm.server.internal.vault.KeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ceiling for the signing service: raw signatures of a 32-byte digest per key type and
 * provider (JDK, Bouncy Castle, PKCS#11 token), exactly as the vault makes them
 * ({@link DigestSignatures#sign}), and the verification the server runs on every value before it
 * leaves ({@link DigestSignatures#verify}). One thread (one core) by default; {@code -t 2} for both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ProviderBaseline {
  @Param({"EC_P256", "RSA_2048"})
  public String key;

  @Param({"JDK", "BC", "PKCS11"})
  public String provider;

  private Provider jca;
  private KeyPair pair;
  private SignatureAlgorithm algorithm;
  private byte[] digest;
  private byte[] value;

  @Setup
  public void setUp() throws Exception {
    KeySpec spec = KeySpec.parse(key);
    Providers p = Providers.valueOf(provider);
    jca = p.provider(spec);
    pair = p.generate(spec);
    algorithm = "EC".equals(spec.algorithm()) ? SignatureAlgorithm.ECDSA_SHA256 : SignatureAlgorithm.RSA_SHA256;
    digest = DigestAlgorithm.SHA256.digest(new byte[] {1});
    value = sign();
    if (!DigestSignatures.verify(pair.getPublic(), algorithm, digest, value)) {
      throw new IllegalStateException(provider + " made a signature that does not verify");
    }
  }

  /** One signature of a digest with the provider's key, as the vault signs. */
  @Benchmark
  public byte[] sign() throws Exception {
    return DigestSignatures.sign(jca, pair.getPrivate(), algorithm, digest);
  }

  /** The server's check of each value before it returns it (the same whatever signed). */
  @Benchmark
  public boolean verify() {
    return DigestSignatures.verify(pair.getPublic(), algorithm, digest, value);
  }
}
