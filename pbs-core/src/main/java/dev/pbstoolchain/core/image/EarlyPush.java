package dev.pbstoolchain.core.image;

import dev.pbstoolchain.core.fetch.Directories;
import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.image.BuiltImage;
import dev.pbstoolchain.oci.image.ImageBuilder;
import dev.pbstoolchain.oci.layout.LayoutReader;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.registry.ImagePusher;
import dev.pbstoolchain.oci.registry.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The push, begun while the image is built: each blob (layers, configs) starts uploading as soon as
 * it is written, so that it overlaps building the other platforms; once the layout is committed,
 * the manifests and the index go up by digest while the archive is written; {@link #push} then only
 * sets the tags, after the build succeeded, so a failed build leaves no tag. The uploads read hard
 * links to the blobs, made beside the layout as {@code .NAME.tmp-upload-*} (the layout's blob moves
 * when the layout is committed; a killed build's links go with the layout writer's other
 * leftovers). A blob that cannot be linked is uploaded by the push as before.
 */
final class EarlyPush implements ImageBuilder.BlobListener, AutoCloseable {

  private final ImagePusher pusher;
  private final ImageReference repository;
  private final Path layoutDir;
  private Path links;
  private CompletableFuture<ImagePusher.Staged> staged;

  EarlyPush(ImagePusher pusher, ImageReference repository, Path layoutDir) {
    this.pusher = pusher;
    this.repository = repository;
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

  /** Stages the push (blobs, manifests, index by digest) on a thread of its own. */
  @Override
  public void committed(Path dir, Descriptor index) {
    Descriptor unannotated = index.withAnnotations(Map.of());
    CompletableFuture<ImagePusher.Staged> started = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                started.complete(pusher.stage(LayoutReader.open(dir), unannotated, repository));
              } catch (OciException | IOException | RuntimeException e) {
                started.completeExceptionally(e);
              }
            },
            "pbs-push-stage");
    thread.setDaemon(true);
    thread.start();
    staged = started;
  }

  /**
   * Pushes the built image: tags the image staged when the layout was committed (staging it here if
   * it was not).
   */
  ImagePusher.Pushed push(BuiltImage image) throws OciException, IOException {
    ImagePusher.Staged done;
    if (staged == null) {
      done =
          pusher.stage(
              LayoutReader.open(image.layoutDir()),
              image.index().withAnnotations(Map.of()),
              repository);
    } else {
      try {
        done = staged.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof OciException failure) {
          throw failure;
        }
        if (e.getCause() instanceof IOException failure) {
          throw failure;
        }
        throw e;
      }
    }
    return pusher.tag(done, image.tags());
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
