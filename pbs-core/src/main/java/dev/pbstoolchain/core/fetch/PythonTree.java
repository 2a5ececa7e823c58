package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.Triples;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What an unpacked tree must hold to be a Python home at all: {@code python/} (for full flavours
 * {@code python/install/}) with the libpython the triple links to ({@code lib/libpython3.*.so*},
 * {@code lib/libpython3.*.dylib}, {@code python3*.dll}), or for the static musl builds the
 * interpreter. A tree without them is an error, not a home to point {@code pbs.<triple>.home} at.
 */
final class PythonTree {

  private PythonTree() {}

  /** What the unpacked {@code dir} lacks, or empty when it is a Python home for the asset. */
  static Optional<String> missing(Path dir, ReleaseAsset asset) {
    Path python = dir.resolve("python");
    Path home = asset.isFull() ? python.resolve("install") : python;
    String homeName = asset.isFull() ? "python/install/" : "python/";
    if (!Files.isDirectory(home)) {
      return Optional.of("no " + homeName + " directory");
    }
    String triple = asset.triple();
    String[] expected;
    if (Triples.isWindows(triple)) {
      expected = new String[] {"", "python3*.dll"};
    } else if (Triples.isDarwin(triple)) {
      expected = new String[] {"lib", "libpython3*.dylib"};
    } else if (Triples.isMusl(triple)) {
      expected = new String[] {"bin", "python3*"};
    } else {
      expected = new String[] {"lib", "libpython3*.so*"};
    }
    Path where = expected[0].isEmpty() ? home : home.resolve(expected[0]);
    if (!contains(where, expected[1])) {
      return Optional.of(
          "no "
              + homeName
              + (expected[0].isEmpty() ? "" : expected[0] + "/")
              + expected[1]
              + ", which a "
              + triple
              + " Python has");
    }
    return Optional.empty();
  }

  private static boolean contains(Path dir, String glob) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
      return files.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }
}
