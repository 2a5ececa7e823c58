package dev.pbstoolchain.licenses.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** The module's one positional read: a {@link FileChannel} read may return fewer bytes. */
public final class PositionalRead {

  private PositionalRead() {}

  /**
   * Fills {@code into} from {@code position} on, stopping early only at the end of the file.
   *
   * @return how many bytes were read
   */
  public static int readFully(FileChannel file, ByteBuffer into, long position) throws IOException {
    int total = 0;
    while (into.hasRemaining()) {
      int n = file.read(into, position + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }
}
