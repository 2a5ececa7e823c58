package dev.pbstoolchain.oci.base;

import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.layout.BlobSource;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.MediaTypes;
import dev.pbstoolchain.oci.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A registry's blobs through a local cache ({@code DIR/blobs/ALG/HEX}): each is downloaded once,
 * verified, and renamed into place, so a file in the cache always holds its digest's bytes and a
 * build pinned by digest runs offline once the cache has the base.
 */
final class CachedRegistryBlobs implements BlobSource {

  private final RegistryClient client;
  private final Path cache;
  private final String name;

  CachedRegistryBlobs(RegistryClient client, Path cache, String name) {
    this.client = client;
    this.cache = cache;
    this.name = name;
  }

  Path path(Digest digest) {
    return cache.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  /**
   * Makes sure the cache has the blob, downloading it if not: manifests and indexes from the
   * manifests endpoint (registries serve them only there), everything else as a blob.
   */
  Path fetch(Descriptor blob) throws OciException {
    Path path = path(blob.digest());
    if (!Files.isRegularFile(path)) {
      if (MediaTypes.isIndex(blob.mediaType()) || MediaTypes.isManifest(blob.mediaType())) {
        RegistryClient.FetchedManifest fetched = client.manifest(blob.digest().toString());
        try {
          store(fetched.digest(), fetched.bytes());
        } catch (IOException e) {
          throw OciException.failure(
              "Cannot write to the cache " + cache + ": " + e.getMessage(), e);
        }
      } else {
        client.downloadBlob(blob, path);
      }
    }
    return path;
  }

  /** Stores bytes already verified against their digest (a manifest fetched by digest). */
  void store(Digest digest, byte[] bytes) throws IOException {
    Path path = path(digest);
    if (!Files.isRegularFile(path)) {
      Files.createDirectories(path.getParent());
      Path temp = Files.createTempFile(path.getParent(), "." + digest.hex(), ".tmp");
      try {
        Files.write(temp, bytes);
        Files.move(temp, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public InputStream open(Digest digest) throws IOException {
    Path path = path(digest);
    if (!Files.isRegularFile(path)) {
      throw new IOException(digest + " of " + name + " is not in the cache " + cache);
    }
    return Files.newInputStream(path);
  }

  @Override
  public Optional<Path> file(Digest digest) {
    Path path = path(digest);
    return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
  }
}
