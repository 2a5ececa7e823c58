package dev.pbstoolchain.binarypatcher.cli;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point of {@code binary-patcher-<version>-cli.jar}: the first argument names the tool being
 * emulated, the rest are that tool's own arguments.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command and returns its exit status; never calls {@link System#exit}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      printUsage(err);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "patchelf":
        return PatchelfCommand.run(rest, out, err);
      case "audit":
        return AuditCommand.run(rest, out, err);
      case "install_name_tool":
        return InstallNameToolCommand.run(rest, out, err);
      case "otool":
        return OtoolCommand.run(rest, out, err);
      case "codesign":
        return CodesignCommand.run(rest, out, err);
      case "pe":
        return PeCommand.run(rest, out, err);
      default:
        err.println("binary-patcher: unknown command '" + args[0] + "'");
        printUsage(err);
        return 2;
    }
  }

  private static void printUsage(PrintStream err) {
    err.println(
        "usage: java -jar binary-patcher-cli.jar COMMAND ARGS...\n"
            + "  patchelf FLAGS FILE               as patchelf\n"
            + "  audit FILE [--bundle DIR] [--max-glibc X.Y]\n"
            + "  install_name_tool FLAGS FILE      as Apple's install_name_tool\n"
            + "  otool -L|-l FILE                  as otool\n"
            + "  codesign --verify FILE            checks an ad-hoc signature\n"
            + "  pe FILE                           PE headers and imports");
  }
}
