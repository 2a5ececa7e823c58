package dev.pbstoolchain.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs a command line's entry point in this JVM, its two streams captured, as CLI tests read it.
 */
public final class InProcessCli {

  /** A CLI's testable entry point: arguments and streams in, exit status out. */
  @FunctionalInterface
  public interface Entry {
    int run(String[] args, PrintStream out, PrintStream err);
  }

  /** Exit status, stdout and stderr (UTF-8) of one run. */
  public record Result(int status, String out, String err) {}

  private InProcessCli() {}

  public static Result run(Entry main, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
