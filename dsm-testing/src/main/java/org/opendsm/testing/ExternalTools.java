package org.opendsm.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the independent verifiers (poppler {@code pdfsig}, {@code openssl}, {@code xmlsec1}) and the
 * openssl-based scripts bundled with dsm-testing.
 *
 * <p>In CI ({@code CI=true}) a missing tool fails the test: {@code .ci/run} installs them all.
 * Elsewhere the test is skipped, and the reason is printed.
 */
public final class ExternalTools {
  private static final long TIMEOUT_SECONDS = 120;

  private ExternalTools() {}

  /** The outcome of a command: exit code and combined stdout + stderr. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Skips (locally) or fails (in CI) unless every tool is on the PATH. */
  public static void require(String... tools) {
    List<String> missing = new ArrayList<>();
    for (String tool : tools) {
      if (!onPath(tool)) {
        missing.add(tool);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    skipOrFail("Independent verifier(s) " + missing + " not installed; run:"
        + " apt-get install poppler-utils xmlsec1 libnss3-tools openssl xxd");
  }

  /**
   * A prerequisite is missing: fails in CI ({@code CI=true}, where .ci/run installs everything),
   * skips elsewhere after printing the reason.
   */
  public static void skipOrFail(String reason) {
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(reason + " (CI must run every interoperability test)");
    }
    System.err.println("SKIPPED: " + reason);
    Assumptions.abort(reason);
  }

  public static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Arrays.stream(path.split(java.io.File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  /** Runs a command in {@code dir}; fails on timeout. */
  public static Result run(Path dir, String... command) {
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("Timed out: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted: " + command[0], e);
    }
  }

  /**
   * Copies a bundled script ({@code pades-openssl-verify.sh}, {@code cms-tst-verify.sh},
   * {@code xades-tst-verify.sh}) into {@code dir} and returns its path.
   */
  public static Path script(String name, Path dir) {
    Path target = dir.resolve(name);
    try (InputStream in = ExternalTools.class.getResourceAsStream("tools/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("No bundled script " + name);
      }
      Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An NSS database trusting {@code rootPem}, for {@code pdfsig -nssdir}. */
  public static Path nssDatabase(Path dir, Path rootPem) {
    require("certutil");
    Path db = dir.resolve("nssdb");
    try {
      Files.createDirectories(db);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    check(run(dir, "certutil", "-N", "-d", "sql:" + db, "--empty-password"));
    check(run(dir, "certutil", "-A", "-d", "sql:" + db, "-n", "OpenDSM Test Root", "-t", "CT,C,C",
        "-i", rootPem.toString()));
    return db;
  }

  private static void check(Result r) {
    if (!r.ok()) {
      throw new AssertionError("certutil failed: " + r.output());
    }
  }
}
