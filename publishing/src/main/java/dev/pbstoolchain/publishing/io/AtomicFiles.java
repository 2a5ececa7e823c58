package dev.pbstoolchain.publishing.io;

import dev.pbstoolchain.publishing.PublishingException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * Writes each file to a hidden temp file beside it, forces it to disk and renames it into place: a
 * killed run leaves either the old file or the new one, never half of one. A temp file left by a
 * kill is named after its target ({@code .NAME.*.tmp}) and removed by {@link #removeStale}.
 */
public final class AtomicFiles {

  /** Produces a file's bytes. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException, PublishingException;
  }

  private static final String TEMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  /** Writes {@code target} from {@code body}, with mode 0644 and the given mtime (or now). */
  public static void write(Path target, Instant mtime, Body body) throws PublishingException {
    Path temp = null;
    try {
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      temp = Files.createTempFile(parent, "." + target.getFileName() + ".", TEMP_SUFFIX);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        body.writeTo(out);
        out.flush();
        channel.force(true);
      }
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      if (mtime != null) {
        Files.setLastModifiedTime(temp, FileTime.from(mtime));
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      throw PublishingException.failure("Cannot write " + target + ": " + why, e);
    } finally {
      deleteQuietly(temp);
    }
  }

  /** Writes {@code text} as UTF-8. */
  public static void writeString(Path target, Instant mtime, String text)
      throws PublishingException {
    write(target, mtime, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Copies {@code source} to {@code target} (temp file, rename, the given mtime) unless the target
   * already holds it, checking that the bytes copied have {@code sha256}: a file changed since it
   * was checked is not published.
   */
  public static void copy(Path source, Path target, String sha256, Instant mtime)
      throws PublishingException {
    if (holds(target, sha256)) {
      return;
    }
    removeStale(target.toAbsolutePath().getParent());
    write(
        target,
        mtime,
        out -> {
          try (InputStream in = Files.newInputStream(source)) {
            if (!FileDigests.of(in, out).sha256().equals(sha256)) {
              throw PublishingException.configuration(
                  source + " changed while it was being published; publish again.");
            }
          }
        });
  }

  /** True when {@code file} exists with the given SHA-256. */
  public static boolean holds(Path file, String sha256) throws PublishingException {
    if (!Files.exists(file)) {
      return false;
    }
    try {
      return FileDigests.of(file).sha256().equals(sha256);
    } catch (IOException e) {
      throw PublishingException.failure("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Removes temp files an earlier, killed run left in {@code directory} (not below it). */
  public static void removeStale(Path directory) throws PublishingException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (var files = Files.list(directory)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(TEMP_SUFFIX) && Files.isRegularFile(p)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw PublishingException.failure("Cannot clean " + directory + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path temp) {
    if (temp != null) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // Best effort: the name says what it was, and removeStale finds it next time.
      }
    }
  }
}
