package dev.pbstoolchain.oci.layout;

import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/** Where an image's blobs are read from: a layout directory, an archive or a registry's cache. */
public interface BlobSource extends AutoCloseable {

  /** Names the source in messages, e.g. {@code the OCI layout /srv/base}. */
  String name();

  /** The blob's bytes as stored; callers verify them against the descriptor. */
  InputStream open(Digest digest) throws IOException;

  /**
   * A file that holds exactly the blob's bytes, when there is one (for links instead of copies).
   */
  default Optional<Path> file(Digest digest) {
    return Optional.empty();
  }

  /** Reads a small blob (manifest, index, config), checking its length and digest. */
  default byte[] document(Descriptor descriptor) throws IOException {
    if (descriptor.size() > Json.MAX_DOCUMENT) {
      throw new IOException(
          descriptor.digest()
              + " in "
              + name()
              + " claims "
              + descriptor.size()
              + " bytes, over the 4 MiB limit of a manifest or config");
    }
    byte[] bytes;
    try (InputStream in = open(descriptor.digest())) {
      bytes = in.readNBytes((int) descriptor.size() + 1);
    }
    if (bytes.length != descriptor.size()) {
      throw new IOException(
          descriptor.digest()
              + " in "
              + name()
              + " is "
              + (bytes.length > descriptor.size() ? "longer" : "shorter")
              + " than the "
              + descriptor.size()
              + " bytes its descriptor says");
    }
    MessageDigest hash = descriptor.digest().newMessageDigest();
    Digest got = Digest.of(updated(hash, bytes));
    if (!got.equals(descriptor.digest())) {
      throw new IOException(
          descriptor.digest()
              + " in "
              + name()
              + " holds bytes whose digest is "
              + got
              + ": the blob is corrupt");
    }
    return bytes;
  }

  private static MessageDigest updated(MessageDigest hash, byte[] bytes) {
    hash.update(bytes);
    return hash;
  }

  @Override
  default void close() throws IOException {}
}
