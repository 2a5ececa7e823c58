package dev.pbstoolchain.testing;

import java.nio.file.Path;

/**
 * The fixtures every module's tests share, in {@code ../shared/fixtures}: the build passes that
 * directory's parent in the system property {@code pbs.shared.dir} (the parent POM sets it).
 */
public final class SharedFixtures {

  private SharedFixtures() {}

  /** {@code ../shared/fixtures/RELATIVE}, e.g. {@code of("binaries/elf")}. */
  public static Path of(String relative) {
    String shared = System.getProperty("pbs.shared.dir");
    if (shared == null) {
      throw new IllegalStateException(
          "the system property pbs.shared.dir is not set: run the tests through Maven (the parent"
              + " POM sets it to ../shared), or pass -Dpbs.shared.dir=DIR");
    }
    return Path.of(shared, "fixtures", relative);
  }
}
