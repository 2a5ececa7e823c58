package dev.pbstoolchain.licenses.cli;

import dev.pbstoolchain.licenses.LicenseAggregator;
import dev.pbstoolchain.licenses.LicenseException;
import dev.pbstoolchain.licenses.Upstream;
import dev.pbstoolchain.licenses.report.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * {@code FULL_ARCHIVE OUT_DIR [options]}: exit 0 on success, 1 on a policy violation, 2 on bad
 * input, 3 on an internal error (reported in one line, never as a stack trace).
 */
public final class Main {

  private static final String OPTIONS =
      """
      Reads python-build-standalone's licence data (python/PYTHON.json and python/licenses/) from
      FULL_ARCHIVE, a *-full.tar.zst, and writes OUT_DIR/LICENSE.md, OUT_DIR/PYTHON.json and
      OUT_DIR/licenses/ as one swap (a failed run leaves the previous output as it was).

      Options:
        --upstream-url URL      the archive's canonical release URL, recorded in LICENSE.md and
                                the SBOM whichever mirror it came from, e.g.
                                %s{date}/{asset}
        --sha256 HEX            the archive's SHA-256 as already verified (else it is hashed)
        --install-archive FILE  the shipped install_only archive, recorded with its SHA-256
        --sbom FILE             also write a CycloneDX 1.5 SBOM to FILE
        --deny ID,...           SPDX ids that must not ship (exit 1 if they do)
        --allow ID,...          the only SPDX ids that may ship (exit 1 for any other)
        --exclude MODULE,...    extension modules to leave out (e.g. readline,_dbm): they leave
                                LICENSE.md, licenses/, the SBOM and the policy, and the shipped
                                files to delete are printed
        -h, --help              this help
        --version               the version

      Exit status: 0 done, 1 licence policy violated, 2 bad input, 3 internal error.
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      return parseAndRun(args, out, err);
    } catch (RuntimeException | Error e) {
      // A bug: one line the user can report, never a stack trace.
      err.println(
          "internal error: "
              + e
              + "\nPlease report it with the command line; rerunning will not help.");
      return 3;
    }
  }

  private static int parseAndRun(String[] args, PrintStream out, PrintStream err) {
    for (String arg : args) {
      if (arg.equals("-h") || arg.equals("--help")) {
        out.println(usage());
        out.print(OPTIONS.formatted(Upstream.RELEASES));
        return 0;
      }
      if (arg.equals("--version")) {
        out.println("license-aggregator " + version());
        return 0;
      }
    }
    Map<String, String> options = new HashMap<>();
    List<String> operands = new ArrayList<>();
    Set<String> deny = new LinkedHashSet<>();
    Set<String> allow = new LinkedHashSet<>();
    Set<String> exclude = new LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("-") || arg.length() == 1) {
        operands.add(arg);
        continue;
      }
      if (!VALUED.contains(arg)) {
        return usageError(err, "unknown option " + arg);
      }
      if (i + 1 >= args.length) {
        return usageError(err, arg + " needs a value");
      }
      String value = args[++i];
      switch (arg) {
        case "--deny" -> deny.addAll(ids(value));
        case "--allow" -> allow.addAll(ids(value));
        case "--exclude" -> exclude.addAll(ids(value));
        // --source-url: the option's name before it had to be the upstream URL.
        case "--source-url" -> options.put("--upstream-url", value);
        default -> options.put(arg, value);
      }
    }
    if (operands.size() != 2) {
      return usageError(
          err,
          operands.size() < 2
              ? (operands.isEmpty() ? "FULL_ARCHIVE and OUT_DIR are" : "OUT_DIR is") + " missing"
              : "unexpected argument " + operands.get(2));
    }
    try {
      Path outDir = path(operands.get(1));
      LicenseAggregator.Request.Builder request =
          LicenseAggregator.Request.builder(path(operands.get(0)), outDir)
              .policy(new Policy(deny, allow))
              .exclude(exclude)
              .excludeOption("--exclude");
      if (options.containsKey("--upstream-url")) {
        request.upstreamUrl(options.get("--upstream-url"));
      }
      if (options.containsKey("--sha256")) {
        request.fullArchiveSha256(options.get("--sha256"));
      }
      if (options.containsKey("--sbom")) {
        request.sbom(path(options.get("--sbom")));
      }
      if (options.containsKey("--install-archive")) {
        request.installArchive(path(options.get("--install-archive")));
      }
      LicenseAggregator.Result result = LicenseAggregator.run(request.build());
      result.warnings().forEach(w -> err.println("warning: " + w));
      result.verdict().warnings().forEach(w -> err.println("warning: " + w));
      out.println(
          "wrote "
              + outDir.resolve("LICENSE.md")
              + " ("
              + result.components().size()
              + " components)");
      if (!result.exclusion().modules().isEmpty()) {
        out.println(
            "excluded "
                + String.join(", ", result.exclusion().modules())
                + "; delete from the shipped python/ tree:");
        result.exclusion().shippedPaths().forEach(p -> out.println("  " + p));
      }
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

  private static final Set<String> VALUED =
      Set.of(
          "--upstream-url",
          "--source-url",
          "--sha256",
          "--install-archive",
          "--sbom",
          "--deny",
          "--allow",
          "--exclude");

  private static int usageError(PrintStream err, String problem) {
    err.println("error: " + problem + "\n" + usage() + "\n(--help for details)");
    return 2;
  }

  private static Path path(String value) throws LicenseException {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new LicenseException(
          "'"
              + value.replace("\0", "\\0")
              + "' is not a valid path on this system ("
              + e.getReason()
              + ")");
    }
  }

  /** The usage line, naming the jar this runs from. */
  static String usage() {
    return "usage: java -jar "
        + jarName()
        + " FULL_ARCHIVE OUT_DIR [--upstream-url URL] [--sha256 HEX] [--install-archive FILE]"
        + " [--sbom FILE] [--deny ID,...] [--allow ID,...] [--exclude MODULE,...]";
  }

  private static String jarName() {
    try {
      Path location =
          Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      String name = location.getFileName().toString();
      if (name.endsWith(".jar")) {
        return name;
      }
    } catch (URISyntaxException | RuntimeException e) {
      // Not run from a jar (tests, an IDE): the generic name below.
    }
    return "license-aggregator-" + version() + "-cli.jar";
  }

  static String version() {
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static Set<String> ids(String list) {
    Set<String> ids = new LinkedHashSet<>();
    Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(ids::add);
    return ids;
  }
}
