package dev.pbstoolchain.packagers.deflate;

import dev.pbstoolchain.packagers.layout.Entry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;

/**
 * A gzip stream assembled from pieces: bytes given here (an archive's headers and padding) are
 * deflated between files, and each file's content is spliced in from {@link DeflatedBodies} as it
 * was compressed once for every format. CRC-32s are combined, not recomputed.
 */
public final class GzipSplicer {

  private final OutputStream out;
  private final DeflatedBodies bodies;
  private final ByteArrayOutputStream raw = new ByteArrayOutputStream(4096);
  private final CRC32 rawCrc = new CRC32();
  private long crc;
  private long count;

  public GzipSplicer(OutputStream out, DeflatedBodies bodies) throws IOException {
    this.out = out;
    this.bodies = bodies;
    Gzip.header(out, Gzip.LEVEL);
  }

  /** Bytes to compress here; they are deflated before the next file or at the end. */
  public void raw(byte[] bytes, int offset, int length) {
    raw.write(bytes, offset, length);
    rawCrc.update(bytes, offset, length);
    count += length;
  }

  /** Appends a file's deflated content; returns its body (with its digests). */
  public DeflatedBodies.Body splice(Entry file) throws IOException {
    DeflatedBodies.Body body = bodies.body(file);
    flushRaw(false);
    bodies.copy(body, out);
    crc = Crc32Combine.combine(crc, body.crc(), body.size());
    count += body.size();
    return body;
  }

  /** Uncompressed bytes so far. */
  public long count() {
    return count;
  }

  /** Ends the gzip stream (the output stays open). */
  public void finish() throws IOException {
    flushRaw(true);
    Gzip.trailer(out, crc, count);
    out.flush();
  }

  /** Deflates the bytes gathered since the last file; the last piece ends the stream. */
  private void flushRaw(boolean last) throws IOException {
    if (raw.size() == 0 && !last) {
      return;
    }
    byte[] bytes = raw.toByteArray();
    out.write(BlockDeflater.deflate(bytes, bytes.length, null, bodies.level(), last));
    crc = Crc32Combine.combine(crc, rawCrc.getValue(), bytes.length);
    raw.reset();
    rawCrc.reset();
  }
}
