package dev.pbstoolchain.plugin.pbs;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code pbs:fetch} without Maven, for scripts and benchmarks: {@code --date D --version V --target
 * T[,T...] [--flavor F] [--mirror URL] [--sha256 HEX] [--cache DIR] [--offline] --out DIR}.
 */
public final class FetchCli {

  private FetchCli() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    stopHttpSelectors();
    System.exit(status);
  }

  /**
   * JDK 17's HTTP client keeps a selector thread blocked in native code until the client is
   * collected, and a JVM that exits waits ~300 ms for threads in native code. Interrupting that
   * thread shuts its (now idle) client down at once; JDK 21's HttpClient.close() does the same.
   */
  private static void stopHttpSelectors() {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      String name = thread.getName();
      if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
        thread.interrupt();
        try {
          thread.join(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    FetchRequest.Builder request =
        FetchRequest.builder()
            .cacheDir(Path.of(System.getProperty("user.home"), ".m2/repository/.cache/pbs"));
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    try {
      while (!rest.isEmpty()) {
        String flag = rest.remove(0);
        switch (flag) {
          case "--date" -> request.date(value(flag, rest));
          case "--version" -> request.version(value(flag, rest));
          case "--target" -> request.triples(List.of(value(flag, rest).split(",")));
          case "--flavor" -> request.flavor(value(flag, rest));
          case "--mirror" -> request.mirror(value(flag, rest));
          case "--sha256" -> request.pinnedSha256(value(flag, rest));
          case "--cache" -> request.cacheDir(Path.of(value(flag, rest)));
          case "--out" -> request.outputDir(Path.of(value(flag, rest)));
          case "--offline" -> request.offline(true);
          default -> throw PbsException.configuration("Unknown option " + flag + "\n" + usage());
        }
      }
      PbsConsole console =
          new PbsConsole() {
            @Override
            public void info(String message) {
              err.println(message);
            }

            @Override
            public void warn(String message) {
              err.println("WARNING: " + message);
            }

            @Override
            public void debug(String message) {}
          };
      for (FetchedArchive fetched : new PbsFetcher(console).fetch(request.build())) {
        out.println(
            fetched.resolved().asset().triple()
                + " "
                + fetched.sha256()
                + " "
                + fetched.home().map(Path::toString).orElse(fetched.archive().toString()));
      }
      return 0;
    } catch (PbsException e) {
      err.println("error: " + e.getMessage());
      return e.isConfigurationProblem() ? 2 : 1;
    } catch (NullPointerException e) {
      err.println("error: missing option\n" + usage());
      return 2;
    }
  }

  private static String value(String flag, List<String> rest) throws PbsException {
    if (rest.isEmpty()) {
      throw PbsException.configuration(flag + " needs a value\n" + usage());
    }
    return rest.remove(0);
  }

  private static String usage() {
    return "usage: FetchCli --date YYYYMMDD --version X.Y.Z --target TRIPLE[,TRIPLE] [--flavor F]"
        + " [--mirror URL] [--sha256 HEX] [--cache DIR] [--offline] --out DIR";
  }
}
