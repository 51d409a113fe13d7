package org.opendsm.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds, by bisection, the smallest {@code -Xmx} (in MiB) with which {@link OneShot} signs each
 * input, in fresh JVMs. Usage: {@code SmallestHeap [CASE:SIZE]...}; prints one line per case.
 */
public final class SmallestHeap {
  private SmallestHeap() {}

  public static void main(String[] args) throws Exception {
    List<String> cases = args.length > 0 ? List.of(args) : List.of(
        "cades-detached:100M", "cades-enveloping:100M", "pades:20M", "xades-enveloped:5M");
    Path dir = Files.createTempDirectory("dsm-heap");
    System.out.printf("%-22s %12s %16s %10s%n", "case", "file (MiB)", "smallest -Xmx", "ratio");
    for (String c : cases) {
      String[] parts = c.split(":");
      long size = SigningBenchmark.parseSize(parts[1]);
      Path file = switch (parts[0]) {
        case "pades" -> Inputs.pdf(dir, size);
        case "xades-enveloped" -> Inputs.xml(dir, size);
        default -> Inputs.binary(dir, size);
      };
      int smallest = bisect(parts[0], file);
      double mib = Files.size(file) / 1048576.0;
      System.out.printf("%-22s %12.1f %13d MiB %9.1fx%n", c, mib, smallest, smallest / mib);
    }
  }

  private static int bisect(String kind, Path file) throws IOException, InterruptedException {
    int low = 4;
    int high = 2048;
    if (!runs(kind, file, high)) {
      throw new IllegalStateException(kind + " fails even with -Xmx" + high + "m");
    }
    while (high - low > Math.max(1, low / 16)) {
      int mid = (low + high) / 2;
      if (runs(kind, file, mid)) {
        high = mid;
      } else {
        low = mid;
      }
    }
    return high;
  }

  private static boolean runs(String kind, Path file, int mib) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + mib + "m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        OneShot.class.getName(), kind, file.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return false;
    }
    return p.exitValue() == 0;
  }
}
