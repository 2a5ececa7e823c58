package dev.pbstoolchain.oci.layer;

import dev.pbstoolchain.oci.layout.LayoutWriter;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.MediaTypes;
import dev.pbstoolchain.oci.tar.TarHeaders;
import dev.pbstoolchain.packagers.deflate.DeflatedBodies;
import dev.pbstoolchain.packagers.output.SplicingGzipSink;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;

/**
 * Writes a layer as a gzip-compressed tar into the layout: headers from {@link TarHeaders}, file
 * contents spliced from the bodies every format of the release shares (each file deflated once by
 * the project's own encoder), so the bytes depend only on the content. The diff id (SHA-256 of the
 * uncompressed tar) is taken on the way; it reads each file once more, without compressing it.
 */
public final class LayerWriter {

  /**
   * A layer written.
   *
   * @param descriptor its descriptor (tar+gzip)
   * @param diffId the SHA-256 of its uncompressed tar, for the config's rootfs
   * @param entries how many paths it holds
   * @param uncompressedSize the tar's length
   */
  public record Written(Descriptor descriptor, Digest diffId, int entries, long uncompressedSize) {}

  private LayerWriter() {}

  public static Written write(List<LayerEntry> entries, DeflatedBodies bodies, LayoutWriter layout)
      throws IOException {
    Path temp = layout.tempFile();
    MessageDigest compressed = Digest.newSha256();
    MessageDigest plain = Digest.newSha256();
    long uncompressed;
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
      OutputStream hashed = new DigestOutputStream(file, compressed);
      SplicingGzipSink sink = new SplicingGzipSink(hashed, bodies, plain);
      for (LayerEntry e : entries) {
        switch (e.kind()) {
          case DIRECTORY ->
              sink.raw(TarHeaders.directory(e.path(), e.mode(), e.owner(), e.mtime()));
          case SYMLINK ->
              sink.raw(TarHeaders.symlink(e.path(), e.linkTarget(), e.owner(), e.mtime()));
          case FILE -> {
            sink.raw(TarHeaders.file(e.path(), e.mode(), e.size(), e.owner(), e.mtime()));
            sink.content(e.file());
            sink.raw(new byte[TarHeaders.padding(e.size())]);
          }
        }
      }
      sink.raw(TarHeaders.end());
      sink.finish();
      hashed.flush();
      uncompressed = sink.count();
    }
    Digest digest = Digest.of(compressed);
    long size = Files.size(temp);
    layout.commitBlob(temp, digest);
    return new Written(
        new Descriptor(MediaTypes.OCI_LAYER_GZIP, digest, size),
        Digest.of(plain),
        entries.size(),
        uncompressed);
  }
}
