package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.io.AtomicFiles;
import dev.pbstoolchain.core.io.LockFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;

/**
 * One target's unpacked tree, {@code <outputDir>/<triple>/}, and the temp directories it is built
 * in beside it. A tree is unpacked into {@code .<triple>.pbs-unpack-<n>/} and swapped in whole; the
 * old one leaves as {@code .<triple>.pbs-old-<n>/}. Builds of one output directory take turns on
 * {@code .<triple>.pbs-unpack.lock}, and each removes what a killed build left under that lock.
 *
 * <p>The tree's {@value #MARKER} file says which archive it holds, where it came from, and the size
 * of every regular file the archive had. Fsyncing thousands of files would cost tens of seconds
 * (measured: 7 ms each on ext4), so instead the marker is written last and fsynced, and a tree
 * counts as unpacked only while every listed file that exists has its size: a power cut that lost
 * file data leaves short files, and the tree is unpacked again.
 */
final class UnpackedTree {

  static final String MARKER = ".pbs-archive";
  private static final String SOURCE = "source ";
  private static final String FILE = "file ";

  private final Path outputDir;
  private final String triple;

  UnpackedTree(Path outputDir, String triple) {
    this.outputDir = outputDir.toAbsolutePath().normalize();
    this.triple = triple;
  }

  /** {@code <outputDir>/<triple>}. */
  Path dir() {
    return outputDir.resolve(triple);
  }

  /** Takes turns with other builds unpacking into this directory. */
  LockFile lock(PbsConsole console) throws IOException {
    return LockFile.acquire(
        outputDir.resolve("." + triple + ".pbs-unpack.lock"),
        "unpacking " + triple + " into " + dir(),
        console);
  }

  /** Removes temp and old trees a killed build left (call with the lock held). */
  void sweep(PbsConsole console) throws IOException {
    if (!Files.isDirectory(outputDir)) {
      return;
    }
    try (DirectoryStream<Path> leftovers =
        Files.newDirectoryStream(outputDir, "." + triple + ".pbs-{unpack,old}-*")) {
      for (Path leftover : leftovers) {
        Directories.deleteRecursively(leftover);
        console.debug("Removed " + leftover + ", left by a build that did not finish");
      }
    }
  }

  /** A new, empty directory to unpack into. */
  Path newTempDir() throws IOException {
    Files.createDirectories(outputDir);
    return Files.createTempDirectory(outputDir, "." + triple + ".pbs-unpack-");
  }

  /** Whether the tree holds this archive, whole. */
  boolean holds(String sha256, String fileName) {
    Path marker = dir().resolve(MARKER);
    try (BufferedReader in = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
      if (!header(sha256, fileName).equals(in.readLine())) {
        return false;
      }
      String source = in.readLine();
      if (source == null || !source.startsWith(SOURCE)) {
        return false; // written by an older pbs:fetch: unpack again to record the source
      }
      Path dir = dir();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith(FILE) && !sizeMatches(dir, line)) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** A listed file still has its size; one the licence step removed on purpose is fine. */
  private static boolean sizeMatches(Path dir, String line) throws IOException {
    int space = line.indexOf(' ', FILE.length());
    long size = Long.parseLong(line.substring(FILE.length(), space));
    Path file = dir.resolve(line.substring(space + 1));
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return attributes.isRegularFile() && attributes.size() == size;
    } catch (NoSuchFileException e) {
      return true;
    }
  }

  /**
   * Marks {@code fresh} as holding the archive (marker written and fsynced), then swaps it in for
   * the tree; the old tree, if any, is removed afterwards.
   */
  void publish(Path fresh, Map<String, Long> files, String sha256, String fileName, String source)
      throws IOException {
    StringBuilder marker = new StringBuilder(header(sha256, fileName)).append('\n');
    marker.append(SOURCE).append(source).append('\n');
    files.forEach(
        (path, size) -> marker.append(FILE).append(size).append(' ').append(path).append('\n'));
    AtomicFiles.writeString(fresh.resolve(MARKER), marker);
    Path target = dir();
    Path old = null;
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      old = Files.createTempDirectory(outputDir, "." + triple + ".pbs-old-");
      Files.delete(old);
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.syncDirectory(outputDir);
    if (old != null) {
      Directories.deleteRecursively(old);
    }
  }

  /** What the marker in {@code dir} says the tree holds and where it came from. */
  static Optional<FetchedSource> record(Path dir) {
    try (BufferedReader in = Files.newBufferedReader(dir.resolve(MARKER), StandardCharsets.UTF_8)) {
      String header = in.readLine();
      String source = in.readLine();
      int split = header == null ? -1 : header.indexOf("  ");
      if (split < 0 || source == null || !source.startsWith(SOURCE)) {
        return Optional.empty();
      }
      return Optional.of(
          new FetchedSource(
              header.substring(0, split),
              header.substring(split + 2),
              source.substring(SOURCE.length())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String header(String sha256, String fileName) {
    return sha256 + "  " + fileName;
  }
}
