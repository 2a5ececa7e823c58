package dev.pbstoolchain.core.exclude;

import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.fetch.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Leaves excluded extension modules out of a target's unpacked Python home (matrix.yaml's {@code
 * exclude}), and remembers which ones it removed: a later build that wants one of them back needs
 * the tree unpacked afresh, not the pruned one.
 */
public final class ShippedExclusion {

  /** Beside {@code python/} in {@code target/pbs/<triple>}: the modules removed, one per line. */
  static final String RECORD = ".pbs-excluded";

  private ShippedExclusion() {}

  /** The modules earlier builds removed from the tree in {@code pbsDir}. */
  public static SortedSet<String> removed(Path pbsDir) throws PbsException {
    Path record = pbsDir.resolve(RECORD);
    SortedSet<String> modules = new TreeSet<>();
    try {
      if (Files.isRegularFile(record)) {
        Files.readAllLines(record).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .forEach(modules::add);
      }
    } catch (IOException e) {
      throw PbsException.failure("Cannot read " + record + ": " + e.getMessage(), e);
    }
    return modules;
  }

  /** Whether the tree lacks a module this build ships: an earlier build excluded it. */
  public static boolean lacksWanted(Path pbsDir, Set<String> exclude) throws PbsException {
    return !exclude.containsAll(removed(pbsDir));
  }

  /**
   * Deletes the excluded modules' files from {@code home} and records the modules in {@code
   * pbsDir}.
   *
   * @param paths relative to {@code home}; one ending in {@code /} is a directory, deleted whole
   * @return the paths that were there and are gone now, sorted
   */
  public static List<String> apply(Path pbsDir, Path home, Set<String> modules, Set<String> paths)
      throws PbsException {
    List<String> deleted = new ArrayList<>();
    try {
      Path root = home.toRealPath();
      for (String path : new TreeSet<>(paths)) {
        Path file = inside(root, path);
        if (delete(file)) {
          deleted.add(path);
        }
      }
      SortedSet<String> all = removed(pbsDir);
      all.addAll(modules);
      if (!all.isEmpty()) {
        Path temp = Files.createTempFile(pbsDir, RECORD, ".part");
        Files.write(temp, all);
        Files.move(
            temp,
            pbsDir.resolve(RECORD),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw PbsException.failure(
          "Cannot leave " + modules + " out of " + home + ": " + e.getMessage(), e);
    }
    return deleted;
  }

  /** {@code path} under {@code root}, refusing one that leaves it (by '..' or a linked parent). */
  private static Path inside(Path root, String path) throws IOException, PbsException {
    String relative = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    Path file = root.resolve(relative).normalize();
    if (relative.isEmpty() || !file.startsWith(root) || file.equals(root)) {
      throw PbsException.failure(
          "PYTHON.json names '"
              + path
              + "' as an excluded module's file, which is not inside "
              + root
              + "; nothing was deleted. Use the release's unmodified archives.");
    }
    Path parent = file.getParent();
    if (Files.exists(parent) && !parent.toRealPath().startsWith(root)) {
      throw PbsException.failure(
          "'" + path + "' leads out of " + root + " through a link; nothing was deleted there.");
    }
    return file;
  }

  private static boolean delete(Path file) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    // Never follows links: a link inside goes, never what it points to.
    Directories.deleteRecursively(file);
    return true;
  }
}
