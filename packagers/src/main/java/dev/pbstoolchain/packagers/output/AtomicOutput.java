package dev.pbstoolchain.packagers.output;

import dev.pbstoolchain.packagers.PackagingException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes an artifact to a temp file beside it and renames it into place, so a failed or killed
 * build never leaves a half-written package.
 */
public final class AtomicOutput {

  /** Produces the artifact's bytes. */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException, PackagingException;
  }

  /**
   * Produces the artifact's bytes through a channel it may seek and read back in, to fill in
   * headers last.
   */
  @FunctionalInterface
  public interface ChannelBody {
    void writeTo(FileChannel out) throws IOException, PackagingException;
  }

  private AtomicOutput() {}

  public static void write(Path output, Body body) throws PackagingException {
    writeChannel(
        output,
        channel -> {
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
          body.writeTo(out);
          out.flush();
        });
  }

  public static void writeChannel(Path output, ChannelBody body) throws PackagingException {
    Path target = output.toAbsolutePath();
    Path temp = null;
    try {
      Files.createDirectories(target.getParent());
      temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
      try (FileChannel out =
          FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        body.writeTo(out);
      }
      Files.setPosixFilePermissions(
          temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
    } catch (IOException e) {
      // Some I/O failures (a closed channel) carry no message: name the exception then.
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new PackagingException("Cannot write " + target + ": " + why, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // Best effort: the temp file is hidden and named after the artifact.
        }
      }
    }
  }
}
