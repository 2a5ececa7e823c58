package dev.pbstoolchain.core.image;

import dev.pbstoolchain.core.fetch.Directories;
import dev.pbstoolchain.oci.image.ImageBuilder;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.registry.ImagePusher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts each blob's upload (layers, configs) as soon as the blob is written, so that it overlaps
 * building the other platforms and writing the archive. The upload reads a hard link to the blob,
 * made beside the layout as {@code .NAME.tmp-upload-*} (the layout's blob moves when the layout is
 * committed; a killed build's links go with the layout writer's other leftovers). A blob that
 * cannot be linked is uploaded by the push as before.
 */
final class EarlyUploads implements ImageBuilder.BlobListener, AutoCloseable {

  private final ImagePusher pusher;
  private final Path layoutDir;
  private Path links;

  EarlyUploads(ImagePusher pusher, Path layoutDir) {
    this.pusher = pusher;
    this.layoutDir = layoutDir.toAbsolutePath().normalize();
  }

  @Override
  public void written(Descriptor blob, Path file) {
    try {
      if (links == null) {
        // Made at the first blob: the layout writer removes leftovers like it when it starts.
        links =
            Files.createTempDirectory(
                layoutDir.getParent(), "." + layoutDir.getFileName() + ".tmp-upload-");
      }
      Path link = links.resolve(blob.digest().hex());
      if (!Files.exists(link)) {
        Files.createLink(link, file);
      }
      pusher.uploadEarly(blob, link);
    } catch (IOException | UnsupportedOperationException e) {
      // No hard links here: the push uploads this blob from the layout.
    }
  }

  /** Removes the links (after the push, which has waited for the uploads). */
  @Override
  public void close() {
    if (links != null) {
      try {
        Directories.deleteRecursively(links);
      } catch (IOException e) {
        // The next build's layout writer removes it.
      }
    }
  }
}
