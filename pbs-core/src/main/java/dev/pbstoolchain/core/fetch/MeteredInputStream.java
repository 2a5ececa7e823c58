package dev.pbstoolchain.core.fetch;

import java.io.IOException;
import java.io.InputStream;

/**
 * The decompressed tar stream, metered: it fails once the archive has expanded past a cap, and
 * while a budget is set (around reading one entry's headers) once that budget is spent. The tar
 * reader keeps pax records and GNU long names in memory; the budget keeps a hostile one from
 * filling the heap before the unpacker ever sees the entry. Skipped bytes were decompressed all the
 * same, so a skip reads through and counts them.
 */
final class MeteredInputStream extends ReadThroughInputStream {

  /** The cap or the budget was exceeded; the message says which, for the user. */
  static final class LimitException extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean configurable;

    LimitException(String message, boolean configurable) {
      super(message);
      this.configurable = configurable;
    }

    /** Whether an option raises the limit (the total may be; the header budget may not). */
    boolean configurable() {
      return configurable;
    }
  }

  private final long cap;
  private final String capMessage;
  private final byte[] head;
  private int headLength;
  private long total;
  private long budget = Long.MAX_VALUE;
  private String budgetMessage = "";

  MeteredInputStream(InputStream in, long cap, String capMessage) {
    this(in, cap, capMessage, 0);
  }

  /** Also keeps the first {@code headBytes} bytes, to say what a server really sent. */
  MeteredInputStream(InputStream in, long cap, String capMessage, int headBytes) {
    super(in);
    this.cap = cap;
    this.capMessage = capMessage;
    this.head = new byte[headBytes];
  }

  /** The first bytes read (up to the head size given). */
  byte[] head() {
    return java.util.Arrays.copyOf(head, headLength);
  }

  /** From now on at most {@code bytes} may be read until {@link #unlimited()}. */
  void budget(long bytes, String message) {
    budget = bytes;
    budgetMessage = message;
  }

  void unlimited() {
    budget = Long.MAX_VALUE;
  }

  long total() {
    return total;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      if (headLength < head.length) {
        head[headLength++] = (byte) b;
      }
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = in.read(buffer, offset, length);
    if (n > 0) {
      if (headLength < head.length) {
        int copy = Math.min(n, head.length - headLength);
        System.arraycopy(buffer, offset, head, headLength, copy);
        headLength += copy;
      }
      count(n);
    }
    return n;
  }

  private void count(int n) throws LimitException {
    total += n;
    if (total > cap) {
      throw new LimitException(capMessage, true);
    }
    if (budget != Long.MAX_VALUE) {
      budget -= n;
      if (budget < 0) {
        throw new LimitException(budgetMessage, false);
      }
    }
  }
}
