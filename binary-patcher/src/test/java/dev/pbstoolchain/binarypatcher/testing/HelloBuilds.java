package dev.pbstoolchain.binarypatcher.testing;

import java.io.IOException;
import java.nio.file.Path;

/**
 * hello.c built once for a test class, in a directory the class owns (a {@code @TempDir} parameter
 * of its {@code @BeforeAll}); each test edits a fresh copy.
 *
 * @param dir where the builds are
 */
public record HelloBuilds(Path dir) {

  /**
   * {@code pie} (gcc's default) and {@code nopie} ({@code -no-pie}), the two most edits start from.
   */
  public static HelloBuilds pieAndNoPie(Path dir) {
    return new HelloBuilds(dir).and("pie").and("nopie", "-no-pie");
  }

  /** Also builds {@code NAME} with gcc's {@code FLAGS} (see {@link Hello#gcc}). */
  public HelloBuilds and(String name, String... flags) {
    Hello.gcc(dir, name, flags);
    return this;
  }

  /** A fresh executable copy of the build {@code NAME} in {@code work}, for one test to edit. */
  public Path copy(String name, Path work) throws IOException {
    return Hello.copy(dir, name, work);
  }
}
