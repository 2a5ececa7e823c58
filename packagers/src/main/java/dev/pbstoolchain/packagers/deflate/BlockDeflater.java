package dev.pbstoolchain.packagers.deflate;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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

  /** Each thread keeps one encoder: its tables are reused from block to block. */
  private static final ThreadLocal<DeflateEncoder> ENCODERS =
      ThreadLocal.withInitial(DeflateEncoder::new);

  private BlockDeflater() {}

  /**
   * Raw deflate of {@code input[0, size)}.
   *
   * @param dictionary the bytes that precede the block in the stream, or null
   * @param last end the stream (final block) instead of a sync flush
   */
  static byte[] deflate(byte[] input, int size, byte[] dictionary, int level, boolean last) {
    return ENCODERS.get().deflate(input, size, dictionary, level, last);
  }
}
