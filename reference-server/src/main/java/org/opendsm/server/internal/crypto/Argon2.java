package org.opendsm.server.internal.crypto;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106) on Bouncy Castle. The default cost follows OWASP's minimum for Argon2id
 * (19 MiB, 2 passes, 1 lane): tens of milliseconds per derivation here, paid once per login or
 * authorisation.
 *
 * @param memoryKiB memory cost in KiB
 * @param iterations time cost
 * @param parallelism lanes
 */
public record Argon2(int memoryKiB, int iterations, int parallelism) {
  public static final Argon2 DEFAULT = new Argon2(19 * 1024, 2, 1);

  public Argon2 {
    if (memoryKiB < 8 * parallelism || iterations < 1 || parallelism < 1) {
      throw new IllegalArgumentException("Invalid Argon2 cost m=" + memoryKiB + " t=" + iterations + " p=" + parallelism);
    }
  }

  /** Derives {@code length} bytes from {@code password} and {@code salt}. */
  public byte[] derive(byte[] password, byte[] salt, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKiB)
        .withIterations(iterations)
        .withParallelism(parallelism)
        .withSalt(salt)
        .build());
    byte[] out = new byte[length];
    generator.generateBytes(password, out);
    return out;
  }

  /** {@code m=...,t=...,p=...} as stored beside a hash. */
  public String encode() {
    return "m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism;
  }

  public static Argon2 decode(String text) {
    int m = 0;
    int t = 0;
    int p = 0;
    for (String part : text.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("Bad Argon2 parameters: " + text);
      }
      int v = Integer.parseInt(kv[1]);
      switch (kv[0]) {
        case "m" -> m = v;
        case "t" -> t = v;
        case "p" -> p = v;
        default -> throw new IllegalArgumentException("Bad Argon2 parameters: " + text);
      }
    }
    return new Argon2(m, t, p);
  }
}
