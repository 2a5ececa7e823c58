package dev.pbstoolchain.packagers.output;

import dev.pbstoolchain.packagers.Digests;
import dev.pbstoolchain.packagers.layout.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * Copies file contents from disk into a stream (for xz and zstd payloads and small control
 * archives, where there is nothing to splice), taking their digests on the way.
 */
public final class StreamingSink implements ArchiveSink {

  private final OutputStream out;
  private long count;

  public StreamingSink(OutputStream out) {
    this.out = out;
  }

  @Override
  public void raw(byte[] bytes, int offset, int length) throws IOException {
    out.write(bytes, offset, length);
    count += length;
  }

  @Override
  public FileDigests content(Entry file) throws IOException {
    MessageDigest md5 = Digests.md5();
    MessageDigest sha256 = Digests.sha256();
    byte[] buffer = new byte[64 * 1024];
    long copied = 0;
    try (InputStream in = file.content().open()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        md5.update(buffer, 0, n);
        sha256.update(buffer, 0, n);
        out.write(buffer, 0, n);
        copied += n;
      }
    }
    if (copied != file.size()) {
      throw new IOException(
          file.content()
              + " changed while packaging ("
              + copied
              + " bytes, expected "
              + file.size()
              + ")");
    }
    count += copied;
    return new FileDigests(md5.digest(), sha256.digest());
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public void finish() throws IOException {
    out.flush();
  }
}
