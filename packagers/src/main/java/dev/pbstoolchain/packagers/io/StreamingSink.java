package dev.pbstoolchain.packagers.io;

import dev.pbstoolchain.packagers.layout.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

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
    MessageDigest md5 = digest("MD5");
    MessageDigest sha256 = digest("SHA-256");
    byte[] buffer = new byte[64 * 1024];
    long copied = 0;
    try (InputStream in = Files.newInputStream(file.source())) {
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
          file.source()
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

  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JDK", e);
    }
  }
}
