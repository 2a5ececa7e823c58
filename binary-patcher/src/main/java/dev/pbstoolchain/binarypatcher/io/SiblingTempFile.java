package dev.pbstoolchain.binarypatcher.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creates the empty temp file an edit is written to before it is renamed into place. Not {@code
 * Files.createTempFile}: its SecureRandom loads the security providers, ~200 classes and ~20 ms of
 * a ~100 ms CLI run. A clash with another process's file just moves on to the next name.
 */
public final class SiblingTempFile {

  private static final int ATTEMPTS = 1000;

  private SiblingTempFile() {}

  /** A new empty file {@code .BASE.N.tmp} in {@code dir}. */
  public static Path create(Path dir, String base) throws IOException {
    long seed = System.nanoTime() & 0xffffffffL;
    for (int attempt = 0; ; attempt++) {
      Path temp = dir.resolve("." + base + "." + (seed + attempt) + ".tmp");
      try {
        return Files.createFile(temp);
      } catch (FileAlreadyExistsException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
