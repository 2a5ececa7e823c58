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

  /** The level gzip -9 uses; streams at this level say so in their header. */
  public static final int MAX_LEVEL = 9;

  /** Magic, deflate, no flags, no time, extra flags (set per level), OS unix. */
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

  /** Offset of XFL, the extra flags byte: 2 means the slowest, best compression (RFC 1952). */
  private static final int XFL = 8;

  private Gzip() {}

  /** A gzip stream of {@code out}'s bytes, compressed on every core. */
  public static OutputStream stream(OutputStream out, int level) throws IOException {
    return new ParallelGzipOutputStream(out, level);
  }

  /**
   * The header of a stream deflated at {@code level}: as gzip(1) writes it, XFL is 2 at level 9,
   * which file(1) reports as "max compression" and lintian requires of changelogs and manual pages
   * ({@code changelog-not-compressed-with-max-compression}); 0 at the other levels.
   */
  static void header(OutputStream out, int level) throws IOException {
    byte[] header = HEADER.clone();
    header[XFL] = (byte) (level == MAX_LEVEL ? 2 : 0);
    out.write(header);
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
