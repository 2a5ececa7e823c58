package dev.pbstoolchain.core.fetch;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One fetched target.
 *
 * @param resolved the asset and its URLs
 * @param archive the verified archive in the cache (or a temp copy when verification was off)
 * @param sha256 the archive's SHA-256
 * @param unpackedDir {@code outputDir/<triple>}, when unpacked
 */
public record FetchedArchive(
    ResolvedAsset resolved, Path archive, String sha256, Path unpackedDir) {

  /**
   * The Python home: {@code <triple>/python} for install-only archives, {@code
   * <triple>/python/install} for full ones.
   */
  public Optional<Path> home() {
    if (unpackedDir == null) {
      return Optional.empty();
    }
    Path python = unpackedDir.resolve("python");
    return Optional.of(resolved.asset().isFull() ? python.resolve("install") : python);
  }
}
