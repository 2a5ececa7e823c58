package dev.pbstoolchain.cli;

import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.Toolchain;
import dev.pbstoolchain.core.release.Release;
import java.io.PrintStream;

/** Entry point of {@code pbs-cli-<version>-cli.jar}: the release core without Maven. */
public final class Main {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int INTERNAL = 3;

  private Main() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    HttpSelectors.stop();
    System.exit(status);
  }

  /** Runs the commands and returns the exit status; never calls {@link System#exit}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      CommandLine line = CommandLine.parse(args);
      if (line.help()) {
        out.print(Usage.text());
        return OK;
      }
      if (line.printVersion()) {
        out.println("pbs-cli " + Toolchain.version());
        return OK;
      }
      if (line.steps().isEmpty()) {
        err.print("pbs-cli: no command given\n" + Usage.text());
        return USAGE;
      }
      PbsConsole console = new StderrConsole(err, line.verbose());
      Release release = Release.load(line.settings());
      for (Step step : line.steps()) {
        console.info("--- " + step.command());
        step.run(release, console);
      }
      return OK;
    } catch (PbsException e) {
      err.println("error: " + FrontEnd.CLI.render(e.getMessage()));
      return e.isConfigurationProblem() ? USAGE : FAILED;
    } catch (RuntimeException e) {
      // A bug, not the user's input: say so, with what a report needs, but no stack trace.
      err.println(
          "internal error (please report it): " + e.getClass().getName() + ": " + e.getMessage());
      return INTERNAL;
    }
  }
}
