package dev.pbstoolchain.binarypatcher.identity;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Positional reads of a few header bytes, each checked against the file's size first. */
final class FileRegion {

  /** Headers and tables are small; a larger count is a corrupt file, not a reason to allocate. */
  static final int MAX_READ = 1 << 20;

  private final Path file;
  private final FileChannel channel;
  private final long size;

  FileRegion(Path file, FileChannel channel) throws IOException {
    this.file = file;
    this.channel = channel;
    this.size = channel.size();
  }

  Path file() {
    return file;
  }

  long size() {
    return size;
  }

  /** {@code length} bytes at {@code offset}, in {@code order}; fails naming {@code what}. */
  ByteBuffer read(long offset, long length, ByteOrder order, String what)
      throws BinaryFormatException, IOException {
    if (offset < 0 || length < 0 || length > MAX_READ || offset > size - length) {
      throw new BinaryFormatException(
          file,
          what
              + " ("
              + length
              + " bytes at offset "
              + offset
              + ") lies outside the file of "
              + size
              + " bytes: the file is truncated or corrupt");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) length).order(order);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, offset + buffer.position()) < 0) {
        throw new BinaryFormatException(file, what + " ends early: the file shrank while read");
      }
    }
    return buffer.flip();
  }
}
