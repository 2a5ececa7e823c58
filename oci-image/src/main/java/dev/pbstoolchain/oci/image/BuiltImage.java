package dev.pbstoolchain.oci.image;

import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.Platform;
import dev.pbstoolchain.oci.registry.ImageReference;
import java.nio.file.Path;
import java.util.List;

/**
 * What a build wrote.
 *
 * @param layoutDir the OCI layout
 * @param index the image index's descriptor (its digest is the image's)
 * @param tags the tags the layout's index.json gives it
 * @param images one per row, in index order
 * @param archive the oci-archive, or null
 * @param archiveDigest the oci-archive's SHA-256 (hashed as it was written), or null
 * @param dockerArchives the docker-archives, one per platform (empty when not asked for)
 * @param baseRegistry the base's registry reference when it came from one (mounts), or null
 */
public record BuiltImage(
    Path layoutDir,
    Descriptor index,
    List<String> tags,
    List<PlatformImage> images,
    Path archive,
    Digest archiveDigest,
    List<Path> dockerArchives,
    ImageReference baseRegistry) {

  /**
   * The image of one row.
   *
   * @param triple the row's triple
   * @param platform its platform (the base's, with variant)
   * @param manifest the manifest's descriptor
   * @param baseLayers how many of its layers are the base's
   */
  public record PlatformImage(
      String triple, Platform platform, Descriptor manifest, int baseLayers) {}

  public BuiltImage {
    tags = List.copyOf(tags);
    images = List.copyOf(images);
    dockerArchives = List.copyOf(dockerArchives);
  }
}
