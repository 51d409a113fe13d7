package org.opendsm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.opendsm.DigestAlgorithm;
import org.opendsm.Document;
import org.opendsm.ServiceSettings;
import org.opendsm.asic.AsicService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dsm asic}: what an ASiC container holds, and its files taken out. Containers are made by
 * {@code dsm sign --asic E|S} (any key source, another signer included), validated by {@code dsm
 * verify} and extended by {@code dsm extend}.
 */
@Command(name = "asic", mixinStandardHelpOptions = true,
    description = {"Look inside an ASiC container (.asice, .asics, .sce, .scs).",
        "Make one with `dsm sign --asic E|S`, validate it with `dsm verify`, extend it with `dsm extend`."},
    subcommands = {AsicCommand.ListCommand.class, AsicCommand.ExtractCommand.class})
final class AsicCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static List<Document> contents(Path container) {
    Document document = Document.of(container);
    if (!document.mediaType().isAsic()) {
      throw new IllegalArgumentException(container + " is not an ASiC container (.asice, .asics, .sce, .scs)");
    }
    return AsicService.create(ServiceSettings.builder().build()).contents(document);
  }

  /** {@code dsm asic list}: each signed file with its size and SHA-256. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List the signed files of a container: name, size, SHA-256.", "Exit 0, or 2 on bad input."})
  static final class ListCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    Path container;

    @Override
    public Integer call() {
      for (Document file : contents(container)) {
        spec.commandLine().getOut().printf("%s  %10d  %s%n", HexFormat.of().formatHex(file.digest(DigestAlgorithm.SHA256)),
            file.size().orElse(file.readAllBytes().length), VerifyCommand.oneLine(file.name()));
      }
      return ExitCodes.OK;
    }
  }

  /** {@code dsm asic extract}: the signed files written into a directory. */
  @Command(name = "extract", mixinStandardHelpOptions = true,
      description = {"Write the signed files of a container into DIR (kept inside it; existing files are not"
          + " overwritten unless --force).", "Validate the container first: extraction checks no signature.",
          "Exit 0, or 2 on bad input."})
  static final class ExtractCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--force", description = "overwrite files that exist in DIR")
    boolean force;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    Path container;

    @Parameters(index = "1", paramLabel = "DIR")
    Path dir;

    @Override
    public Integer call() throws IOException {
      List<Document> files = contents(container);
      Path root = dir.toAbsolutePath().normalize();
      // Every target checked before anything is written: a bad name changes nothing.
      java.util.Map<String, String> keys = new java.util.HashMap<>();
      List<Path> targets = new java.util.ArrayList<>();
      for (Document file : files) {
        Path target = root.resolve(file.name()).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
          throw new IllegalArgumentException(container + " names a file outside the target directory: "
              + VerifyCommand.oneLine(file.name()));
        }
        // Names one file system may not tell apart (case, trailing dots or spaces) count as one.
        String key = root.relativize(target).toString().toLowerCase(java.util.Locale.ROOT).replaceAll("[. ]+(/|$)", "$1");
        if (keys.putIfAbsent(key, file.name()) != null) {
          throw new IllegalArgumentException(container + " names two entries that would be one file: "
              + VerifyCommand.oneLine(keys.get(key)) + " and " + VerifyCommand.oneLine(file.name()));
        }
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && (!force || !Files.isRegularFile(target, java.nio.file.LinkOption.NOFOLLOW_LINKS))) {
          throw new IllegalArgumentException(target + (force ? " exists and is not a regular file"
              : " exists; use --force to overwrite it"));
        }
        targets.add(target);
      }
      for (String key : keys.keySet()) {
        for (String other : keys.keySet()) {
          if (other.startsWith(key + "/")) {
            throw new IllegalArgumentException(container + " names " + VerifyCommand.oneLine(keys.get(key))
                + " both as a file and as a directory");
          }
        }
      }
      Files.createDirectories(root);
      Path realRoot = root.toRealPath();
      try {
        for (int i = 0; i < files.size(); i++) {
          Path target = targets.get(i);
          Files.createDirectories(target.getParent());
          // A directory inside DIR that links elsewhere must not take the file out of DIR.
          if (!target.getParent().toRealPath().startsWith(realRoot)) {
            throw new IllegalArgumentException(target.getParent() + " leads outside " + root);
          }
          Files.deleteIfExists(target); // only a regular file, with --force (checked above)
          try (InputStream in = files.get(i).openStream();
              var out = Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE_NEW,
                  java.nio.file.StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            in.transferTo(out);
          }
          spec.commandLine().getOut().printf("%s%n", VerifyCommand.oneLine(target.toString()));
        }
      } catch (IOException e) {
        // Not bad input: the disk or the permissions failed (exit 1).
        throw new IllegalStateException("Cannot write into " + root + ": " + e.getMessage(), e);
      }
      return ExitCodes.OK;
    }
  }
}
