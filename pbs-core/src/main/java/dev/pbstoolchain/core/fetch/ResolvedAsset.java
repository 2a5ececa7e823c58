package dev.pbstoolchain.core.fetch;

import java.net.URI;
import java.util.Optional;

/**
 * An asset with the places to get it and its published checksum from.
 *
 * @param asset what is fetched
 * @param uri the archive
 * @param sha256SumsUri the release's {@code SHA256SUMS}
 * @param sha256FileUri the asset's own {@code .sha256} file, for releases that published one
 */
public record ResolvedAsset(ReleaseAsset asset, URI uri, URI sha256SumsUri, URI sha256FileUri) {

  public Optional<URI> sha256File() {
    return Optional.ofNullable(sha256FileUri);
  }
}
