package dev.pbstoolchain.oci.base;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pbstoolchain.oci.ImageConsole;
import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.layout.ArchiveReader;
import dev.pbstoolchain.oci.layout.BlobSource;
import dev.pbstoolchain.oci.layout.LayoutReader;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.Json;
import dev.pbstoolchain.oci.model.MediaTypes;
import dev.pbstoolchain.oci.model.Platform;
import dev.pbstoolchain.oci.registry.ImageReference;
import dev.pbstoolchain.oci.registry.RegistryClient;
import dev.pbstoolchain.oci.registry.RegistrySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A base image opened from its reference: the descriptor its tag or digest names (an index or a
 * single manifest), the platform images it offers, and its blobs.
 */
public final class BaseImage implements AutoCloseable {

  private static final int MAX_INDEX_DEPTH = 4;
  private static final String ATTESTATION = "vnd.docker.reference.type";

  private final BaseReference reference;
  private final BlobSource blobs;
  private final CachedRegistryBlobs registryBlobs;
  private final Descriptor top;
  private final List<Descriptor> manifests;

  private BaseImage(
      BaseReference reference,
      BlobSource blobs,
      CachedRegistryBlobs registryBlobs,
      Descriptor top,
      List<Descriptor> manifests) {
    this.reference = reference;
    this.blobs = blobs;
    this.registryBlobs = registryBlobs;
    this.top = top;
    this.manifests = manifests;
  }

  /**
   * Opens the base. A registry base is read through {@code cache}; one pinned by digest whose
   * manifests are cached needs no network. An unpinned registry base works but is warned about,
   * with the digest to pin.
   */
  public static BaseImage open(
      BaseReference reference, RegistrySettings settings, Path cache, ImageConsole console)
      throws OciException {
    try {
      return switch (reference.kind()) {
        case OCI_LAYOUT -> {
          LayoutReader layout;
          try {
            layout = LayoutReader.open(reference.path());
          } catch (NoSuchFileException e) {
            throw OciException.configuration(
                "The base " + reference + " does not exist (" + e.getMessage() + ")");
          }
          yield fromIndexFile(reference, layout, layout.index(), console);
        }
        case OCI_ARCHIVE -> {
          if (!Files.isRegularFile(reference.path())) {
            throw OciException.configuration(
                "The base " + reference + " does not exist: " + reference.path() + " is no file");
          }
          ArchiveReader archive = ArchiveReader.open(reference.path());
          try {
            yield fromIndexFile(reference, archive, archive.index(), console);
          } catch (OciException | IOException | RuntimeException e) {
            archive.close();
            throw e;
          }
        }
        case REGISTRY -> fromRegistry(reference, settings, cache, console);
      };
    } catch (IOException e) {
      throw OciException.configuration("Cannot read the base " + reference + ": " + e.getMessage());
    }
  }

  private static BaseImage fromIndexFile(
      BaseReference reference, BlobSource blobs, ObjectNode indexJson, ImageConsole console)
      throws IOException, OciException {
    List<Descriptor> entries = new ArrayList<>();
    int i = 0;
    for (JsonNode node : indexJson.path("manifests")) {
      entries.add(Descriptor.fromJson(node, reference + " index.json manifests[" + i++ + "]"));
    }
    List<Descriptor> chosen;
    if (reference.tag() != null) {
      chosen =
          entries.stream()
              .filter(d -> reference.tag().equals(d.annotations().get(Descriptor.REF_NAME)))
              .toList();
      if (chosen.isEmpty()) {
        throw OciException.configuration(
            "The base "
                + reference
                + " has no tag '"
                + reference.tag()
                + "'; it has "
                + tags(entries));
      }
    } else {
      chosen = entries;
      if (entries.size() != 1) {
        throw OciException.configuration(
            "The base "
                + reference
                + " holds "
                + entries.size()
                + " images; name one with :TAG (it has "
                + tags(entries)
                + ")");
      }
    }
    Descriptor top = chosen.get(0).withAnnotations(Map.of());
    console.debug("Base " + reference + " is " + top.digest());
    return new BaseImage(reference, blobs, null, top, platformManifests(reference, blobs, top, 0));
  }

  private static String tags(List<Descriptor> entries) {
    String tags =
        entries.stream()
            .map(d -> d.annotations().get(Descriptor.REF_NAME))
            .filter(t -> t != null)
            .collect(Collectors.joining(", "));
    return tags.isEmpty() ? "no tags" : "the tags " + tags;
  }

  private static BaseImage fromRegistry(
      BaseReference reference, RegistrySettings settings, Path cache, ImageConsole console)
      throws OciException, IOException {
    ImageReference image = reference.registry();
    RegistryClient client = RegistryClient.pulling(image, settings, console);
    CachedRegistryBlobs blobs = new CachedRegistryBlobs(client, cache, "the base " + image);
    Descriptor top;
    if (image.digest() != null && blobs.file(image.digest()).isPresent()) {
      byte[] bytes = Files.readAllBytes(blobs.path(image.digest()));
      String mediaType = Json.parse(bytes, image.toString()).path("mediaType").asText("");
      top = new Descriptor(mediaType, image.digest(), bytes.length);
      console.debug("Base " + image + " from the cache " + cache);
    } else {
      RegistryClient.FetchedManifest fetched = client.manifest(image.manifestReference());
      blobs.store(fetched.digest(), fetched.bytes());
      top = new Descriptor(fetched.mediaType(), fetched.digest(), fetched.bytes().length);
      if (image.digest() == null) {
        console.warn(
            "The base "
                + image
                + " is not pinned, so a later build may get another image. This build used "
                + fetched.digest()
                + "; pin it for reproducible builds: "
                + image.repositoryOnly()
                + (image.tag() != null ? ":" + image.tag() : "")
                + "@"
                + fetched.digest());
      }
    }
    return new BaseImage(reference, blobs, blobs, top, platformManifests(reference, blobs, top, 0));
  }

  /** The platform manifests under a descriptor, following nested indexes. */
  private static List<Descriptor> platformManifests(
      BaseReference reference, BlobSource blobs, Descriptor top, int depth)
      throws IOException, OciException {
    if (MediaTypes.isManifest(top.mediaType())) {
      return List.of(top);
    }
    if (!MediaTypes.isIndex(top.mediaType())) {
      throw unsupported(reference, top);
    }
    if (depth >= MAX_INDEX_DEPTH) {
      throw OciException.configuration(
          "The base " + reference + " nests indexes more than " + MAX_INDEX_DEPTH + " deep");
    }
    ObjectNode index =
        Json.parse(blobs.document(top), "the index " + top.digest() + " of " + reference);
    List<Descriptor> found = new ArrayList<>();
    int i = 0;
    for (JsonNode node : index.path("manifests")) {
      Descriptor entry =
          Descriptor.fromJson(node, "the index " + top.digest() + " manifests[" + i++ + "]");
      if (entry.annotations().containsKey(ATTESTATION)
          || (entry.platform() != null && entry.platform().os().equals("unknown"))) {
        continue; // build attestations, not images
      }
      if (MediaTypes.isIndex(entry.mediaType())) {
        found.addAll(platformManifests(reference, blobs, entry, depth + 1));
      } else if (MediaTypes.isManifest(entry.mediaType())) {
        found.add(entry);
      }
    }
    return found;
  }

  private static OciException unsupported(BaseReference reference, Descriptor d) {
    return OciException.configuration(
        "The base "
            + reference
            + " is a "
            + d.mediaType()
            + ", which is no OCI or Docker schema 2 image; copy it into a current format (e.g."
            + " skopeo copy --format oci) and use that");
  }

  /** The digest of what the reference names (the index, or the single manifest). */
  public Digest digest() {
    return top.digest();
  }

  public BaseReference reference() {
    return reference;
  }

  /** The registry reference of the base when it came from one (for cross-repository mounts). */
  public ImageReference registryReference() {
    return reference.kind() == BaseReference.Kind.REGISTRY ? reference.registry() : null;
  }

  public BlobSource blobs() {
    return blobs;
  }

  /**
   * The base's image for the platform a row needs; its layers are in the blob source afterwards.
   *
   * @param row names the row in errors (e.g. its triple)
   */
  public PlatformBase select(Platform wanted, String row) throws OciException {
    try {
      for (Descriptor manifest : manifests) {
        if (manifest.platform() != null && !wanted.accepts(manifest.platform())) {
          continue;
        }
        PlatformBase candidate = load(manifest);
        if (wanted.accepts(candidate.platform())) {
          fetchLayers(candidate);
          return candidate;
        }
      }
      throw OciException.configuration(
          "The base "
              + reference
              + " has no "
              + wanted
              + " image (it has "
              + offeredPlatforms()
              + "), so the "
              + row
              + " row cannot be built on it: use a base that has "
              + wanted
              + " (a multi-platform index), or leave the row out of the image");
    } catch (IOException e) {
      throw OciException.configuration("Cannot read the base " + reference + ": " + e.getMessage());
    }
  }

  private String offeredPlatforms() throws IOException, OciException {
    List<String> names = new ArrayList<>();
    for (Descriptor manifest : manifests) {
      names.add(
          manifest.platform() != null
              ? manifest.platform().toString()
              : load(manifest).platform().toString());
    }
    return names.isEmpty() ? "no images" : String.join(", ", names);
  }

  private PlatformBase load(Descriptor manifest) throws IOException, OciException {
    if (registryBlobs != null) {
      registryBlobs.fetch(manifest);
    }
    String where = "the manifest " + manifest.digest() + " of " + reference;
    ObjectNode json = Json.parse(blobs.document(manifest), where);
    if (json.path("schemaVersion").asInt() != 2) {
      throw unsupported(reference, manifest);
    }
    Descriptor config = Descriptor.fromJson(json.path("config"), where + " config");
    List<Descriptor> layers = new ArrayList<>();
    int i = 0;
    for (JsonNode node : json.path("layers")) {
      Descriptor layer = Descriptor.fromJson(node, where + " layers[" + i++ + "]");
      if (MediaTypes.layerCompression(layer.mediaType()) == null) {
        throw OciException.configuration(
            "Layer "
                + layer.digest()
                + " of the base "
                + reference
                + " is a "
                + layer.mediaType()
                + ", which cannot be read here (a foreign or non-Linux layer?): use a Linux base");
      }
      layers.add(layer);
    }
    if (registryBlobs != null) {
      registryBlobs.fetch(config);
    }
    ObjectNode configJson = Json.parse(blobs.document(config), "the config of " + where);
    int diffIds = configJson.path("rootfs").path("diff_ids").size();
    if (diffIds != layers.size()) {
      throw OciException.configuration(
          "The base "
              + reference
              + " is inconsistent: "
              + where
              + " lists "
              + layers.size()
              + " layers, its config "
              + diffIds
              + " diff_ids");
    }
    Platform platform =
        manifest.platform() != null ? manifest.platform() : Platform.fromJson(configJson);
    return new PlatformBase(
        platform,
        manifest.withPlatform(null).withAnnotations(Map.of()),
        config,
        configJson,
        layers);
  }

  private void fetchLayers(PlatformBase base) throws OciException {
    if (registryBlobs != null) {
      for (Descriptor layer : base.layers()) {
        registryBlobs.fetch(layer);
      }
    }
  }

  @Override
  public void close() throws IOException {
    blobs.close();
  }
}
