package org.opendsm.cli;

import java.io.PrintWriter;
import org.opendsm.DsmException;
import org.opendsm.InvalidDocumentException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dsm} command: sign, verify and a demo of both. */
@Command(
    name = "dsm",
    mixinStandardHelpOptions = true,
    version = "OpenDSM 0.1.0-SNAPSHOT",
    description = "Sign and verify PAdES, CAdES and XAdES documents.",
    subcommands = {SignCommand.class, VerifyCommand.class, ExtendCommand.class, AsicCommand.class, DemoCommand.class,
        ServerCommand.class, AdminCommand.class},
    exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
    exitCodeOnExecutionException = ExitCodes.FAILED)
public final class DsmCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs {@code dsm} with the given streams; returns the exit code (used by tests). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new DsmCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("dsm: " + message(e));
      return e instanceof InvalidDocumentException || e instanceof IllegalArgumentException
              || e instanceof java.io.UncheckedIOException
          ? ExitCodes.BAD_INPUT : ExitCodes.FAILED;
    });
    return cli.execute(args);
  }

  private static String message(Exception e) {
    if (e instanceof DsmException || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException) {
      return e.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
