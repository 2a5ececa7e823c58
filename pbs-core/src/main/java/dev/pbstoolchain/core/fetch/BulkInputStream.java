package dev.pbstoolchain.core.fetch;

import java.io.IOException;
import java.io.InputStream;

/** A stream that reads in blocks: its single-byte read is a block read of one. */
abstract class BulkInputStream extends InputStream {

  @Override
  public final int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public abstract int read(byte[] buffer, int offset, int count) throws IOException;
}
