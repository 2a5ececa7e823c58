package dev.pbstoolchain.licenses.cli;

import dev.pbstoolchain.licenses.LicenseAggregator;
import dev.pbstoolchain.licenses.LicenseException;
import dev.pbstoolchain.licenses.report.Policy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code FULL_ARCHIVE OUT_DIR [--install-archive FILE] [--source-url URL] [--deny ID,...] [--allow
 * ID,...] [--sbom FILE]}: exit 0 on success, 1 on a policy violation, 2 on bad input.
 */
public final class Main {

  private static final String USAGE =
      "usage: license-aggregator FULL_ARCHIVE OUT_DIR [--install-archive FILE] [--source-url URL]"
          + " [--deny ID,...] [--allow ID,...] [--sbom FILE]";

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path full = null;
    Path outDir = null;
    Path install = null;
    String url = null;
    Path sbom = null;
    Set<String> deny = new LinkedHashSet<>();
    Set<String> allow = new LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("--")) {
        if (i + 1 >= args.length) {
          err.println(arg + " needs a value\n" + USAGE);
          return 2;
        }
        String value = args[++i];
        switch (arg) {
          case "--install-archive" -> install = Path.of(value);
          case "--source-url" -> url = value;
          case "--deny" -> deny.addAll(ids(value));
          case "--allow" -> allow.addAll(ids(value));
          case "--sbom" -> sbom = Path.of(value);
          default -> {
            err.println("unknown option " + arg + "\n" + USAGE);
            return 2;
          }
        }
      } else if (full == null) {
        full = Path.of(arg);
      } else if (outDir == null) {
        outDir = Path.of(arg);
      } else {
        err.println("unexpected argument " + arg + "\n" + USAGE);
        return 2;
      }
    }
    if (full == null || outDir == null) {
      err.println(USAGE);
      return 2;
    }
    try {
      LicenseAggregator.Result result =
          LicenseAggregator.run(
              new LicenseAggregator.Request(
                  full, outDir, install, url, new Policy(deny, allow), sbom));
      result.warnings().forEach(w -> err.println("warning: " + w));
      result.verdict().warnings().forEach(w -> err.println("warning: " + w));
      out.println(
          "wrote "
              + outDir.resolve("LICENSE.md")
              + " ("
              + result.components().size()
              + " components)");
      if (!result.verdict().passed()) {
        err.println("licence policy violated:");
        result.verdict().violations().forEach(v -> err.println("  " + v));
        return 1;
      }
      return 0;
    } catch (LicenseException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
  }

  private static Set<String> ids(String list) {
    Set<String> ids = new LinkedHashSet<>();
    Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(ids::add);
    return ids;
  }
}
