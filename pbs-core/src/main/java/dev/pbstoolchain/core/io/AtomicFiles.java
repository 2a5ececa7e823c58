package dev.pbstoolchain.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Publishing files so that a crash, a kill or a power cut leaves either the old file or the whole
 * new one: write a temp file beside the target, fsync it, rename it over the target, fsync the
 * directory (so the rename itself survives a power cut).
 */
public final class AtomicFiles {

  /** Suffix of the temp files {@link #writeString} leaves beside a target while it writes. */
  public static final String TEMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  /** Replaces {@code target} with {@code text} (UTF-8) atomically and durably. */
  public static Path writeString(Path target, CharSequence text) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, tempPrefix(target), TEMP_SUFFIX);
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      move(temp, target);
      return target;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The prefix of {@link #writeString}'s temp files for {@code target}: {@code .<name>.}. */
  public static String tempPrefix(Path target) {
    return "." + target.getFileName() + ".";
  }

  /** Fsyncs {@code temp}, renames it over {@code target} and fsyncs the directory. */
  public static void commit(Path temp, Path target) throws IOException {
    sync(temp);
    move(temp, target);
  }

  /** Flushes a file's content to the disk. */
  public static void sync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /**
   * Flushes a directory's entries (a rename into it) to the disk. Where the platform cannot open a
   * directory (Windows), its file system orders metadata itself and nothing is done.
   */
  public static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not possible on this platform; the rename is still atomic.
    }
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory(target.toAbsolutePath().getParent());
  }
}
