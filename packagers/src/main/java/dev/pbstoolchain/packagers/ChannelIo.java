package dev.pbstoolchain.packagers;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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

  /**
   * The {@code length} bytes from {@code position} as a stream of positional reads: it leaves the
   * channel's position alone, and closing it does not close the channel.
   *
   * @param what the file's role, for the message when it ends early
   */
  public static InputStream inputStream(
      FileChannel channel, long position, long length, String what) {
    return new InputStream() {
      private long at = position;
      private final long end = position + length;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (at >= end) {
          return -1;
        }
        int n = (int) Math.min(len, end - at);
        readFully(channel, ByteBuffer.wrap(b, off, n), at, what);
        at += n;
        return n;
      }
    };
  }
}
