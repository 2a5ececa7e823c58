package dev.pbstoolchain.cli;

import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsConsole;
import java.io.PrintStream;

/** Progress and warnings on standard error, options spelled as this command line spells them. */
final class StderrConsole implements PbsConsole {

  private final PrintStream err;
  private final boolean verbose;

  StderrConsole(PrintStream err, boolean verbose) {
    this.err = err;
    this.verbose = verbose;
  }

  @Override
  public void info(String message) {
    err.println(FrontEnd.CLI.render(message));
  }

  @Override
  public void warn(String message) {
    err.println("WARNING: " + FrontEnd.CLI.render(message));
  }

  @Override
  public void debug(String message) {
    if (verbose) {
      err.println("debug: " + FrontEnd.CLI.render(message));
    }
  }
}
