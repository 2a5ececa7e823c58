package dev.pbstoolchain.packagers.output;

import dev.pbstoolchain.packagers.deflate.DeflatedBodies;
import dev.pbstoolchain.packagers.deflate.GzipSplicer;
import dev.pbstoolchain.packagers.layout.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * An archive written as one gzip stream whose file contents are spliced from {@link DeflatedBodies}
 * (deflated once for every format of a release), its own headers and padding deflated in between.
 */
public final class SplicingGzipSink implements ArchiveSink {

  private final GzipSplicer gzip;
  private final MessageDigest plainDigest;

  public SplicingGzipSink(OutputStream out, DeflatedBodies bodies) throws IOException {
    this.gzip = new GzipSplicer(out, bodies);
    this.plainDigest = null;
  }

  /**
   * A sink that also hashes the uncompressed stream (rpm's PAYLOADDIGESTALT), which means reading
   * each file once more.
   */
  public SplicingGzipSink(OutputStream out, DeflatedBodies bodies, MessageDigest plainDigest)
      throws IOException {
    this.gzip = new GzipSplicer(out, bodies);
    this.plainDigest = plainDigest;
  }

  @Override
  public void raw(byte[] bytes, int offset, int length) {
    gzip.raw(bytes, offset, length);
    if (plainDigest != null) {
      plainDigest.update(bytes, offset, length);
    }
  }

  @Override
  public FileDigests content(Entry file) throws IOException {
    DeflatedBodies.Body body = gzip.splice(file);
    if (plainDigest != null) {
      hashAgain(file);
    }
    return new FileDigests(body.md5(), body.sha256());
  }

  private void hashAgain(Entry file) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = file.content().open()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        plainDigest.update(buffer, 0, n);
      }
    }
  }

  @Override
  public long count() {
    return gzip.count();
  }

  @Override
  public void finish() throws IOException {
    gzip.finish();
  }
}
