package dev.pbstoolchain.core.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A filter that must see every byte passing through it (to copy or count it): a skip reads the
 * bytes through {@link #read(byte[], int, int)} instead of skipping them underneath, and mark is
 * not offered.
 */
abstract class ReadThroughInputStream extends FilterInputStream {

  private static final int SCRATCH = 8192;

  ReadThroughInputStream(InputStream in) {
    super(in);
  }

  @Override
  public abstract int read(byte[] buffer, int offset, int length) throws IOException;

  @Override
  public final long skip(long n) throws IOException {
    byte[] scratch = new byte[(int) Math.min(Math.max(n, 0), SCRATCH)];
    long skipped = 0;
    while (skipped < n) {
      int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
      if (read < 0) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  @Override
  public final boolean markSupported() {
    return false;
  }
}
