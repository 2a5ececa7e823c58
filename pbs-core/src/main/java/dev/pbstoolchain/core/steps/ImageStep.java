package dev.pbstoolchain.core.steps;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.image.ReleaseImage;
import dev.pbstoolchain.core.matrix.ImageBlock;
import dev.pbstoolchain.core.packaging.ReleasePackager;
import dev.pbstoolchain.core.release.AppInfo;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * pbs:image: the release's multi-platform container image (one platform per Linux row) as an OCI
 * layout {@code target/pbs-dist/oci/} and an oci-archive beside the other artifacts (in
 * SHA256SUMS), pushed to matrix.yaml's {@code image.repository} with {@code pbs.image.push}. A
 * release whose matrix has no {@code image:} block has no image.
 */
public final class ImageStep {

  /** The Maven classifier and type of the oci-archive. */
  public static final String CLASSIFIER = "oci";

  public static final String TYPE = "tar";

  private ImageStep() {}

  /** Returns the oci-archive and what was made, or empty when matrix.yaml asks for no image. */
  public static Optional<ImageArtifact> run(Release release, PbsConsole console)
      throws PbsException {
    Optional<ImageBlock> block = release.image();
    if (block.isEmpty()) {
      console.info(
          "No image: block in " + release.settings().matrixFile() + ", so no container image");
      return Optional.empty();
    }
    // It adds its archive to SHA256SUMS: builds writing into one dist directory take turns.
    Path dist = release.settings().distDir().toAbsolutePath().normalize();
    return DistDirectory.locked(
        dist, "writing the image into", console, () -> build(release, block.get(), console));
  }

  private static Optional<ImageArtifact> build(
      Release release, ImageBlock block, PbsConsole console) throws PbsException {
    AppInfo app = release.app("pbs:image");
    List<ReleaseTarget> rows = new ArrayList<>();
    for (ReleaseTarget target : release.targets("pbs:image")) {
      if (!target.triple().contains("-linux-gnu")) {
        continue;
      }
      if (!Files.isRegularFile(target.stagedBinary())) {
        throw PbsException.configuration(
            target.stagedBinary()
                + " is missing: run pbs:patch before pbs:image (bind both to package)");
      }
      if (!Files.isDirectory(target.home())) {
        throw PbsException.configuration(
            target.home() + " is missing: run pbs:fetch for " + target.triple() + " first");
      }
      rows.add(target);
    }
    if (rows.isEmpty()) {
      throw PbsException.configuration(
          "image: in "
              + release.settings().matrixFile()
              + " asks for a container image, but no target row is Linux (*-linux-gnu): add one,"
              + " or remove image:");
    }
    Path archive = release.imageArchive(app);
    ReleaseImage.Result made =
        new ReleaseImage(release.settings(), console)
            .make(block, app, release.date(), rows, release.imageLayout(), archive);
    // Hashed as it was written: reading the archive again would only cost time.
    String sha256 = made.image().archiveDigest().hex();
    ReleasePackager.addDigest(release.settings().distDir(), archive, sha256);
    console.info("Wrote " + archive + " (sha256 " + sha256 + ")");
    return Optional.of(
        new ImageArtifact(new Artifact(archive, TYPE, CLASSIFIER, "", sha256), made));
  }

  /**
   * What pbs:image made.
   *
   * @param archive the oci-archive, as an artifact to attach
   * @param made the layout, index digest, platforms and push
   */
  public record ImageArtifact(Artifact archive, ReleaseImage.Result made) {}
}
