package dev.pbstoolchain.packagers.output;

import dev.pbstoolchain.packagers.layout.Entry;
import java.io.IOException;

/**
 * What the tar and cpio writers write into: their own header and padding bytes, and each file's
 * content, which a sink may copy from disk or splice in already compressed.
 */
public interface ArchiveSink {

  /** A file's digests, for deb md5sums and rpm file digests. */
  record FileDigests(byte[] md5, byte[] sha256) {}

  /** Archive bytes that are not file content: headers, names, padding. */
  void raw(byte[] bytes, int offset, int length) throws IOException;

  default void raw(byte[] bytes) throws IOException {
    raw(bytes, 0, bytes.length);
  }

  /** Appends the file's content and returns its digests. */
  FileDigests content(Entry file) throws IOException;

  /** Uncompressed bytes written so far. */
  long count();

  /** Ends the stream (the underlying output stays open). */
  void finish() throws IOException;
}
