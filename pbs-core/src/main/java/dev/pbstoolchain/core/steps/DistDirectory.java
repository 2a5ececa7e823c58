package dev.pbstoolchain.core.steps;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.fetch.Directories;
import dev.pbstoolchain.core.io.AtomicFiles;
import dev.pbstoolchain.core.io.LockFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The steps writing into one dist directory (pbs:package, pbs:verify, pbs:image) take turns on one
 * lock beside it ({@code .<dist>.pbs-package.lock}); each first removes what a killed build left
 * there, which nobody else can be using then: the writers' hidden {@code .*.tmp} files and
 * pbs:verify's scratch directory {@code .verify} (unpacked artifacts, smoke runs' homes).
 */
final class DistDirectory {

  /** pbs:verify's scratch directory in the dist directory: nothing in it outlives a run. */
  static final String VERIFY_SCRATCH = ".verify";

  /** A step's work on the dist directory. */
  interface Work<T> {
    T run() throws PbsException;
  }

  private DistDirectory() {}

  /** The lock beside {@code dist}. */
  static Path lockFile(Path dist) {
    Path absolute = dist.toAbsolutePath().normalize();
    return absolute.resolveSibling("." + absolute.getFileName() + ".pbs-package.lock");
  }

  /**
   * Runs {@code work} holding the lock, after removing the leftovers of killed builds. {@code
   * doing} says what for the message of a build that waits, e.g. "verifying".
   */
  static <T> T locked(Path dist, String doing, PbsConsole console, Work<T> work)
      throws PbsException {
    Path lockFile = lockFile(dist);
    try (LockFile lock = LockFile.acquire(lockFile, doing + " " + dist, console)) {
      removeLeftovers(dist, console);
      return work.run();
    } catch (IOException e) {
      throw PbsException.failure(
          "Cannot take the lock "
              + lockFile
              + " or clean "
              + dist
              + ": "
              + e.getMessage()
              + ". Check that the directory is writable, or write elsewhere with -D"
              + PropertyNames.DIST_DIR
              + "=DIR.",
          e);
    }
  }

  /** Temp files of writers that never finished (hidden, ending in .tmp), and verify's scratch. */
  static void removeLeftovers(Path dist, PbsConsole console) throws IOException {
    if (!Files.isDirectory(dist)) {
      return;
    }
    try (DirectoryStream<Path> leftovers =
        Files.newDirectoryStream(dist, ".*" + AtomicFiles.TEMP_SUFFIX)) {
      for (Path leftover : leftovers) {
        if (Files.isRegularFile(leftover, LinkOption.NOFOLLOW_LINKS)) {
          Files.delete(leftover);
          console.debug("Removed " + leftover + ", left by a build that did not finish");
        }
      }
    }
    Path scratch = dist.resolve(VERIFY_SCRATCH);
    if (Files.exists(scratch, LinkOption.NOFOLLOW_LINKS)) {
      Directories.deleteRecursively(scratch);
      console.debug("Removed " + scratch + ", pbs:verify's scratch directory");
    }
  }
}
