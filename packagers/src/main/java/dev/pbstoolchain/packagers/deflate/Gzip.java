package dev.pbstoolchain.packagers.deflate;

import java.io.IOException;
import java.io.OutputStream;

/**
 * gzip (RFC 1952) framing as every gzip stream of the packagers writes it: a header with no name
 * and no time, so the bytes depend only on the content, and the CRC-32 and length trailer.
 */
public final class Gzip {

  /** The deflate level of our gzip streams: zlib's default, what {@code tar czf} uses. */
  public static final int LEVEL = 6;

  /** Magic, deflate, no flags, no time, no extra flags, OS unix. */
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

  private Gzip() {}

  /** A gzip stream of {@code out}'s bytes, compressed on every core. */
  public static OutputStream stream(OutputStream out, int level) throws IOException {
    return new ParallelGzipOutputStream(out, level);
  }

  static void header(OutputStream out) throws IOException {
    out.write(HEADER);
  }

  /** CRC-32 and length modulo 2^32, little-endian. */
  static void trailer(OutputStream out, long crc, long length) throws IOException {
    out.write(
        new byte[] {
          (byte) crc,
          (byte) (crc >> 8),
          (byte) (crc >> 16),
          (byte) (crc >> 24),
          (byte) length,
          (byte) (length >> 8),
          (byte) (length >> 16),
          (byte) (length >> 24)
        });
  }
}
