package dev.pbstoolchain.packagers.io;

import dev.pbstoolchain.packagers.layout.Entry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.zip.CRC32;

/**
 * A gzip stream assembled from pieces: the archive's own bytes (headers, padding) are deflated here
 * between files, and each file's content is spliced in from {@link DeflatedBodies} as it was
 * compressed once for every format. CRC-32s are combined, not recomputed. The gzip header has no
 * name and no time, so the result depends only on the content.
 */
public final class SplicingGzipSink implements ArchiveSink {

  private final OutputStream out;
  private final DeflatedBodies bodies;
  private final int level;
  private final MessageDigest plainDigest;
  private final ByteArrayOutputStream raw = new ByteArrayOutputStream(4096);
  private final CRC32 rawCrc = new CRC32();
  private long crc;
  private long count;

  /**
   * @param plainDigest when not null, also hashes the uncompressed stream (rpm's PAYLOADDIGESTALT),
   *     which means reading each file once more
   */
  public SplicingGzipSink(
      OutputStream out, DeflatedBodies bodies, int level, MessageDigest plainDigest)
      throws IOException {
    this.out = out;
    this.bodies = bodies;
    this.level = level;
    this.plainDigest = plainDigest;
    out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3});
  }

  @Override
  public void raw(byte[] bytes, int offset, int length) throws IOException {
    raw.write(bytes, offset, length);
    rawCrc.update(bytes, offset, length);
    if (plainDigest != null) {
      plainDigest.update(bytes, offset, length);
    }
    count += length;
  }

  @Override
  public FileDigests content(Entry file) throws IOException {
    DeflatedBodies.Body body = bodies.body(file);
    flushRaw(false);
    bodies.copy(body, out);
    crc = Crc32Combine.combine(crc, body.crc(), body.size());
    count += body.size();
    if (plainDigest != null) {
      hashAgain(file);
    }
    return new FileDigests(body.md5(), body.sha256());
  }

  private void hashAgain(Entry file) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file.source())) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        plainDigest.update(buffer, 0, n);
      }
    }
  }

  /** Deflates the archive bytes gathered since the last file; the last piece ends the stream. */
  private void flushRaw(boolean last) throws IOException {
    if (raw.size() == 0 && !last) {
      return;
    }
    byte[] bytes = raw.toByteArray();
    out.write(BlockDeflater.deflate(bytes, bytes.length, null, level, last));
    crc = Crc32Combine.combine(crc, rawCrc.getValue(), bytes.length);
    raw.reset();
    rawCrc.reset();
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public void finish() throws IOException {
    flushRaw(true);
    out.write(
        new byte[] {
          (byte) crc,
          (byte) (crc >> 8),
          (byte) (crc >> 16),
          (byte) (crc >> 24),
          (byte) count,
          (byte) (count >> 8),
          (byte) (count >> 16),
          (byte) (count >> 24)
        });
    out.flush();
  }
}
