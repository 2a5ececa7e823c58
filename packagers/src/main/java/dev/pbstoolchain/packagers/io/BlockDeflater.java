package dev.pbstoolchain.packagers.io;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.Deflater;

/**
 * Deflates independent blocks the way pigz does, so they can run on every core and still join into
 * one valid deflate stream: each block may take the previous 32 KiB as its dictionary, and all but
 * the last end on a byte-aligned sync flush.
 */
final class BlockDeflater {

  static final int BLOCK = 128 * 1024;
  static final int DICTIONARY = 32 * 1024;

  /** One pool for every archive of the JVM: compression is CPU-bound, more threads do not help. */
  static final ExecutorService POOL =
      Executors.newFixedThreadPool(
          Runtime.getRuntime().availableProcessors(),
          r -> {
            Thread t = new Thread(r, "pbs-deflate");
            t.setDaemon(true);
            return t;
          });

  /** How many blocks may be in flight: enough to keep every core busy, little heap. */
  static final int IN_FLIGHT = 2 * Runtime.getRuntime().availableProcessors() + 2;

  /**
   * Each thread keeps one raw deflater per level and resets it: a fresh zlib stream per block (or
   * per tar header) costs an allocation and a hash-table clear each time.
   */
  private static final ThreadLocal<Deflater[]> DEFLATERS =
      ThreadLocal.withInitial(() -> new Deflater[10]);

  private static final ThreadLocal<byte[]> BUFFERS =
      ThreadLocal.withInitial(() -> new byte[64 * 1024]);

  private BlockDeflater() {}

  /**
   * Raw deflate of {@code input[0, size)}.
   *
   * @param dictionary the bytes that precede the block in the stream, or null
   * @param last end the stream (final block) instead of a sync flush
   */
  static byte[] deflate(byte[] input, int size, byte[] dictionary, int level, boolean last) {
    Deflater[] byLevel = DEFLATERS.get();
    Deflater deflater = byLevel[level];
    if (deflater == null) {
      deflater = new Deflater(level, true);
      byLevel[level] = deflater;
    } else {
      deflater.reset();
    }
    if (dictionary != null && dictionary.length > 0) {
      deflater.setDictionary(dictionary);
    }
    deflater.setInput(input, 0, size);
    ByteArrayOutputStream result = new ByteArrayOutputStream(size / 2 + 64);
    byte[] buffer = BUFFERS.get();
    if (last) {
      deflater.finish();
      while (!deflater.finished()) {
        int n = deflater.deflate(buffer);
        result.write(buffer, 0, n);
      }
    } else {
      int n;
      do {
        n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        result.write(buffer, 0, n);
      } while (n == buffer.length || !deflater.needsInput());
    }
    return result.toByteArray();
  }
}
