package dev.pbstoolchain.testing;

import java.nio.file.Path;

/**
 * The C sources every module's tests compile (test-support/src/main/c): found from the module
 * directory surefire runs a test in, as a sibling of that module.
 */
public final class TestSources {

  private TestSources() {}

  /** {@code test-support/src/main/c/NAME}, absolute. */
  public static Path c(String name) {
    return Path.of("..", "test-support", "src", "main", "c", name).toAbsolutePath().normalize();
  }
}
