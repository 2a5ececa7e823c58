package dev.pbstoolchain.packagers;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads and writes at a position of a file channel until the buffer is done: one call of {@link
 * FileChannel#read(ByteBuffer, long)} may stop short.
 */
public final class ChannelIo {

  private ChannelIo() {}

  /**
   * Fills {@code buffer}'s remaining space from {@code position}.
   *
   * @param what the file's role, for the message when it ends early
   */
  public static void readFully(FileChannel channel, ByteBuffer buffer, long position, String what)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new EOFException(what + " ended at byte " + at + ", before the data expected there");
      }
      at += n;
    }
  }

  /** Writes {@code buffer}'s remaining bytes at {@code position}. */
  public static void writeFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }
}
