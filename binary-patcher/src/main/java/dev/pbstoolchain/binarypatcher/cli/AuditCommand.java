package dev.pbstoolchain.binarypatcher.cli;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.elf.ElfAudit;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code audit FILE [--bundle DIR] [--max-glibc X.Y] [--json]}: prints the glibc floor and how
 * every needed library resolves, as text or as one JSON object; exit status 1 when a limit is
 * broken, 2 on bad input or usage.
 */
final class AuditCommand {

  private static final String USAGE = "usage: audit FILE [--bundle DIR] [--max-glibc X.Y] [--json]";

  private AuditCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    Path file = null;
    Path bundle = null;
    String maxGlibc = null;
    boolean json = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bundle" -> {
          if (++i >= args.length) {
            return usage(err, "--bundle needs a directory");
          }
          bundle = Path.of(args[i]);
        }
        case "--max-glibc" -> {
          if (++i >= args.length || !args[i].matches("\\d+(\\.\\d+)*")) {
            return usage(err, "--max-glibc needs a version such as 2.23");
          }
          maxGlibc = args[i];
        }
        case "--json" -> json = true;
        case "--help", "-h" -> {
          out.println(USAGE);
          return 0;
        }
        default -> {
          if (args[i].startsWith("--") || file != null) {
            return usage(err, "unexpected argument '" + args[i] + "'");
          }
          file = Path.of(args[i]);
        }
      }
    }
    if (file == null) {
      return usage(err, "no file given");
    }
    Path bundleDir = bundle != null ? bundle : file.toAbsolutePath().getParent();
    try {
      ElfAudit.Report report =
          ElfAudit.audit(file, ElfAudit.Options.defaults(bundleDir).withMaxGlibc(maxGlibc));
      out.print(json ? report.toJson() + "\n" : report.toText());
      return report.passed() ? 0 : 1;
    } catch (BinaryFormatException e) {
      err.println("audit: " + e.getMessage());
      return Main.USAGE;
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println("audit: " + problem);
    err.println(USAGE);
    return Main.USAGE;
  }
}
