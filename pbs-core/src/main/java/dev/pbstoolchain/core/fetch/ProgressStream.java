package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.PbsConsole;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Logs how far a large download has got, every tenth of the way. */
final class ProgressStream extends FilterInputStream {

  private final long length;
  private final String name;
  private final PbsConsole console;
  private long read;
  private int lastTenth;

  ProgressStream(InputStream in, long length, String name, PbsConsole console) {
    super(in);
    this.length = length;
    this.name = name;
    this.console = console;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      advance(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int count) throws IOException {
    int n = in.read(buffer, offset, count);
    if (n > 0) {
      advance(n);
    }
    return n;
  }

  private void advance(int n) {
    read += n;
    int tenth = (int) Math.min(10, read * 10 / length);
    if (tenth > lastTenth) {
      lastTenth = tenth;
      console.info(
          name
              + ": "
              + tenth * 10
              + "% ("
              + PbsFetcher.megabytes(read)
              + " of "
              + PbsFetcher.megabytes(length)
              + ")");
    }
  }
}
