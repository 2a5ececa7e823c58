package dev.pbstoolchain.core.fetch;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which archive a target's unpacked tree came from and through which mirror, as pbs:fetch recorded
 * it beside the tree (never inside the shipped {@code python/}). The verify report names it; the
 * artifacts do not, so they stay the same whatever mirror served the release.
 *
 * @param sha256 the archive's verified SHA-256
 * @param fileName the asset's name
 * @param source the URL the archive was fetched through (the mirror's, when one is set)
 */
public record FetchedSource(String sha256, String fileName, String source) {

  /** What {@code <outputDir>/<triple>} records, if pbs:fetch unpacked it. */
  public static Optional<FetchedSource> of(Path pbsDir) {
    return UnpackedTree.record(pbsDir);
  }
}
