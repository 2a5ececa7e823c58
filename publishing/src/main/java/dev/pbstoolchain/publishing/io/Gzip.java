package dev.pbstoolchain.publishing.io;

import dev.pbstoolchain.packagers.deflate.ParallelGzipOutputStream;
import dev.pbstoolchain.publishing.PublishingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * gzip of an index in memory by the packagers' deflate encoder: the bytes do not depend on the zlib
 * a JVM links, so repositories are reproducible across JDKs.
 */
public final class Gzip {

  private Gzip() {}

  public static byte[] of(byte[] data, int level, String what) throws PublishingException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 3 + 64);
    try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, level)) {
      gz.write(data);
    } catch (IOException e) {
      throw PublishingException.failure("Cannot gzip " + what + " in memory: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }
}
