package dev.pbstoolchain.binarypatcher.cli;

import java.io.PrintStream;

/** Placeholder until the command is implemented. */
final class PeCommand {

  private PeCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    err.println("binary-patcher: this command is not implemented yet");
    return 2;
  }
}
