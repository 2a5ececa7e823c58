package dev.pbstoolchain.binarypatcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

/**
 * Entry point of {@code binary-patcher-<version>-cli.jar}: the first argument names the tool being
 * emulated, the rest are that tool's own arguments.
 *
 * <p>Exit status: 0 success; 1 the command failed as the tool it emulates reports it (bad input, a
 * refused edit, an invalid signature, an audit that found problems); 2 a usage error of this jar's
 * own commands ({@code audit}, {@code pe}: also their unreadable input); 70 an internal error (a
 * bug: the input is unchanged and the message says what to report). No stack trace is ever printed.
 */
public final class Main {

  /** Exit status of a usage error. */
  static final int USAGE = 2;

  /** Exit status of a bug in this program (sysexits.h EX_SOFTWARE). */
  static final int INTERNAL_ERROR = 70;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command and returns its exit status; never calls {@link System#exit}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(usage());
      return USAGE;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
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
        case "--help", "-h", "help":
          out.print(usage());
          return 0;
        case "--version":
          out.println("binary-patcher " + version());
          return 0;
        default:
          err.println("binary-patcher: unknown command '" + args[0] + "'");
          err.print(usage());
          return USAGE;
      }
    } catch (RuntimeException | Error e) {
      // A bug, not the user's input: say so in one line instead of a stack trace.
      err.println(
          "binary-patcher: internal error in '"
              + args[0]
              + "': "
              + e
              + "; nothing was written. Please report it with the command line and the input"
              + " file.");
      return INTERNAL_ERROR;
    }
  }

  /** This jar's version, as Maven built it. */
  static String version() {
    Properties properties = new Properties();
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // A jar that cannot read its own resource: say unknown rather than fail --version.
    }
    return properties.getProperty("version", "unknown");
  }

  /** The file name users run, e.g. {@code binary-patcher-0.1.0-cli.jar}. */
  static String jarName() {
    try {
      var source = Main.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        Path location = Path.of(source.getLocation().toURI());
        String name = location.getFileName() == null ? "" : location.getFileName().toString();
        if (name.endsWith(".jar")) {
          return name;
        }
      }
    } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
      // Fall through to the name Maven gives the jar.
    }
    return "binary-patcher-" + version() + "-cli.jar";
  }

  static String usage() {
    return "usage: java -jar "
        + jarName()
        + " COMMAND ARGS...\n"
        + "  patchelf FLAGS FILE...            as NixOS patchelf (patchelf --help lists the flags)\n"
        + "  install_name_tool FLAGS FILE      as Apple's install_name_tool, re-signs ad hoc\n"
        + "  otool -L|-l FILE                  as otool\n"
        + "  codesign --verify FILE            checks an ad-hoc signature; -s - FILE signs\n"
        + "  audit FILE [--bundle DIR] [--max-glibc X.Y] [--json]\n"
        + "                                    glibc floor and where each NEEDED library resolves\n"
        + "  pe FILE [--beside]                PE headers and imports, like dumpbin\n"
        + "  --help, -h                        this text\n"
        + "  --version                         binary-patcher's version\n"
        + "exit status: 0 ok; 1 the command failed as the tool it emulates reports it (bad input,\n"
        + "  refused edit, invalid signature, audit problems); 2 usage error of audit/pe or\n"
        + "  unreadable input to them; 70 internal error (a bug: the input is unchanged).\n";
  }
}
