package org.opendsm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
            file.size().orElse(file.readAllBytes().length), file.name());
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
    public Integer call() {
      List<Document> files = contents(container);
      Path root = dir.toAbsolutePath().normalize();
      // Every target checked before anything is written: a bad name changes nothing.
      for (Document file : files) {
        Path target = root.resolve(file.name()).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
          throw new IllegalArgumentException(container + " names a file outside the target directory: " + file.name());
        }
        if (!force && Files.exists(target)) {
          throw new IllegalArgumentException(target + " exists; use --force to overwrite it");
        }
      }
      try {
        for (Document file : files) {
          Path target = root.resolve(file.name()).normalize();
          Files.createDirectories(target.getParent());
          try (InputStream in = file.openStream()) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
          spec.commandLine().getOut().printf("%s%n", target);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return ExitCodes.OK;
    }
  }
}
