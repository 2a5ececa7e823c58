package dev.pbstoolchain.packagers.deflate;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

/**
 * gzip on every core, the way pigz does it: the input is cut into fixed 128 KiB blocks, each
 * deflated independently with the previous 32 KiB as its dictionary and ended on a byte-aligned
 * sync flush, so the pieces concatenate into one valid deflate stream. The header carries no name
 * and no time, and block boundaries depend only on the data: the output is reproducible.
 */
public final class ParallelGzipOutputStream extends OutputStream {

  private final OutputStream out;
  private final int level;
  private final CRC32 crc = new CRC32();
  private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
  private byte[] block = new byte[BlockDeflater.BLOCK];
  private int filled;
  private byte[] dictionary;
  private long total;
  private boolean closed;

  public ParallelGzipOutputStream(OutputStream out, int level) throws IOException {
    this.out = out;
    this.level = level;
    Gzip.header(out, level);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] data, int offset, int length) throws IOException {
    crc.update(data, offset, length);
    total += length;
    while (length > 0) {
      int n = Math.min(length, BlockDeflater.BLOCK - filled);
      System.arraycopy(data, offset, block, filled, n);
      filled += n;
      offset += n;
      length -= n;
      if (filled == BlockDeflater.BLOCK) {
        submit(false);
      }
    }
  }

  private void submit(boolean last) throws IOException {
    byte[] input = block;
    int size = filled;
    byte[] dict = dictionary;
    dictionary = Arrays.copyOfRange(input, Math.max(0, size - BlockDeflater.DICTIONARY), size);
    pending.add(
        BlockDeflater.POOL.submit(() -> BlockDeflater.deflate(input, size, dict, level, last)));
    block = new byte[BlockDeflater.BLOCK];
    filled = 0;
    while (pending.size() >= BlockDeflater.IN_FLIGHT) {
      drainOne();
    }
  }

  private void drainOne() throws IOException {
    try {
      out.write(pending.poll().get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while compressing", e);
    } catch (ExecutionException e) {
      throw new IOException("compression failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    submit(true);
    while (!pending.isEmpty()) {
      drainOne();
    }
    Gzip.trailer(out, crc.getValue(), total);
    out.close();
  }
}
