package dev.pbstoolchain.core.steps;

import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.fetch.HttpSettings;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A build in a JVM of its own, for tests that kill it with SIGKILL: {@code STEP PROJECT MIRROR
 * CACHE}, where STEP is {@code fetch} or {@code package}. Prints the console to stderr; exits 0, or
 * 1 with the failure message.
 */
public final class ChildBuild {

  private ChildBuild() {}

  public static void main(String[] args) {
    PbsConsole console =
        new PbsConsole() {
          @Override
          public void info(String message) {
            System.err.println("[INFO] " + message);
          }

          @Override
          public void warn(String message) {
            System.err.println("[WARN] " + message);
          }

          @Override
          public void debug(String message) {
            System.err.println("[DEBUG] " + message);
          }
        };
    try {
      Release release =
          Release.load(
              ReleaseSettings.builder(FrontEnd.MAVEN, Path.of(args[1]))
                  .mirror(args[2])
                  .cacheDir(Path.of(args[3]))
                  .projectVersion("1.0.0")
                  .sourceDateEpoch("1700000000")
                  .http(HttpSettings.builder().retries(2, Duration.ofMillis(10)).build())
                  .build());
      switch (args[0]) {
        case "fetch" -> FetchStep.run(release, console);
        case "package" -> PackageStep.run(release, console);
        case "verify" -> VerifyStep.run(release, console);
        default -> throw new IllegalArgumentException("unknown step " + args[0]);
      }
      System.err.println("[DONE]");
      System.exit(0);
    } catch (PbsException e) {
      System.err.println("[FAILED] " + e.getMessage());
      System.exit(1);
    }
  }
}
