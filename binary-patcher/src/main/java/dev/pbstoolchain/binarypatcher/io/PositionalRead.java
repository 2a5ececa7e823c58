package dev.pbstoolchain.binarypatcher.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** The module's one positional read: fills a buffer from a file offset, or says the file ended. */
public final class PositionalRead {

  private PositionalRead() {}

  /**
   * Reads {@code buffer.remaining()} bytes at {@code offset} without moving the channel's position,
   * then flips the buffer for reading.
   *
   * @throws EOFException when the file ends before the buffer is full
   */
  public static ByteBuffer readFully(FileChannel channel, ByteBuffer buffer, long offset)
      throws IOException {
    long at = offset;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new EOFException("unexpected end of file at offset " + at);
      }
      at += n;
    }
    return buffer.flip();
  }
}
