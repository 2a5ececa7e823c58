package dev.pbstoolchain.oci.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pbstoolchain.oci.ImageConsole;
import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.base.BaseFilesystem;
import dev.pbstoolchain.oci.base.BaseImage;
import dev.pbstoolchain.oci.base.BaseReference;
import dev.pbstoolchain.oci.base.PlatformBase;
import dev.pbstoolchain.oci.layer.LayerPlan;
import dev.pbstoolchain.oci.layer.LayerWriter;
import dev.pbstoolchain.oci.layer.OwnerIds;
import dev.pbstoolchain.oci.layout.ArchiveWriter;
import dev.pbstoolchain.oci.layout.LayoutWriter;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.Json;
import dev.pbstoolchain.oci.model.MediaTypes;
import dev.pbstoolchain.oci.model.Platform;
import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.deflate.DeflatedBodies;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the release's image: for each Linux row, the base's image for its platform plus a Python
 * runtime layer and an app layer made from the deb's layout, with its config and manifest; one
 * index over all rows, annotated; the OCI layout (its index.json tagged with each tag), and the
 * oci-archive and docker-archives when asked for. Nothing is visible before everything is written.
 */
public final class ImageBuilder {

  static final String VERSION = "org.opencontainers.image.version";
  static final String REVISION = "org.opencontainers.image.revision";
  static final String SOURCE = "org.opencontainers.image.source";
  static final String LICENSES = "org.opencontainers.image.licenses";
  static final String CREATED = "org.opencontainers.image.created";
  static final String BASE_NAME = "org.opencontainers.image.base.name";
  static final String BASE_DIGEST = "org.opencontainers.image.base.digest";

  /**
   * Told of each blob of the new image (its layers, then its config) as soon as it is written, e.g.
   * to start uploading it.
   */
  @FunctionalInterface
  public interface BlobListener {
    /**
     * @param blob the blob's descriptor
     * @param file the blob in the layout being written (which moves when the layout is committed)
     */
    void written(Descriptor blob, Path file);

    /**
     * The layout is complete and in place (before the archives are written from it), e.g. to start
     * pushing it.
     *
     * @param layoutDir the committed layout
     * @param index the image's index, as {@link BuiltImage#index()} will be
     */
    default void committed(Path layoutDir, Descriptor index) {}
  }

  private final ImageConsole console;
  private final BlobListener listener;

  public ImageBuilder(ImageConsole console) {
    this(console, (layer, file) -> {});
  }

  public ImageBuilder(ImageConsole console, BlobListener listener) {
    this.console = console;
    this.listener = listener;
  }

  public BuiltImage build(ImageRequest request) throws OciException {
    validate(request);
    List<String> tags = request.settings().expandedTags(request.app(), request.version());
    BaseReference baseReference;
    try {
      baseReference = BaseReference.parse(request.base(), request.projectDir());
    } catch (IllegalArgumentException e) {
      throw OciException.configuration("image.base: " + e.getMessage());
    }
    Map<String, Layout> layouts = new LinkedHashMap<>();
    for (ImageRequest.Row row : request.rows()) {
      layouts.put(row.triple(), layout(request, row));
    }
    try (BaseImage base =
            BaseImage.open(baseReference, request.registry(), request.cacheDir(), console);
        LayoutWriter layout = LayoutWriter.create(request.layoutDir());
        DeflatedBodies own =
            request.sharedBodies() != null
                ? null
                : DeflatedBodies.of(
                    layouts.values(), spillDir(request), Set.of(), request.bodyCache())) {
      DeflatedBodies bodies = request.sharedBodies() != null ? request.sharedBodies() : own;
      List<BuiltImage.PlatformImage> images = new ArrayList<>();
      Set<Platform> seen = new HashSet<>();
      for (ImageRequest.Row row : request.rows()) {
        Platform wanted = Platform.fromTriple(row.triple());
        if (!seen.add(wanted)) {
          throw OciException.configuration(
              "Two rows of the image are "
                  + wanted
                  + " ("
                  + row.triple()
                  + " is the second): an"
                  + " index holds one image per platform; leave one out of the image");
        }
        images.add(
            platformImage(request, base, row, wanted, layouts.get(row.triple()), bodies, layout));
      }
      Descriptor index = index(request, images, layout);
      List<Descriptor> tagged = new ArrayList<>();
      for (String tag : tags) {
        tagged.add(index.withAnnotations(Map.of(Descriptor.REF_NAME, tag)));
      }
      layout.finish(tagged);
      Path dir = layout.commit();
      listener.committed(dir, index);
      console.info(
          "Wrote the image "
              + index.digest()
              + " ("
              + String.join(", ", images.stream().map(i -> i.platform().toString()).toList())
              + ") to "
              + dir
              + ", tagged "
              + String.join(", ", tags));
      Path archive = null;
      Digest archiveDigest = null;
      if (request.archive() != null) {
        archiveDigest = ArchiveWriter.ociArchive(dir, request.archive(), request.epochSeconds());
        archive = request.archive();
        console.info("Wrote " + archive);
      }
      List<Path> dockerArchives = dockerArchives(request, dir, images, tags);
      return new BuiltImage(
          dir,
          index,
          tags,
          images,
          archive,
          archiveDigest,
          dockerArchives,
          base.registryReference());
    } catch (IOException e) {
      throw OciException.failure(
          "Cannot write the image to " + request.layoutDir() + ": " + e.getMessage(), e);
    }
  }

  private static void validate(ImageRequest request) throws OciException {
    if (request.rows().isEmpty()) {
      throw OciException.configuration(
          "The image has no rows: it is made of the matrix's Linux rows (*-linux-gnu), and there"
              + " are none");
    }
    if (request.base() == null || request.base().isBlank()) {
      throw OciException.configuration(
          "image.base is not set: give the base image, pinned by digest (e.g."
              + " docker.io/library/debian:bookworm-slim@sha256:...), or oci-layout:DIR[:TAG] or"
              + " oci-archive:FILE[:TAG]");
    }
    for (ImageRequest.Row row : request.rows()) {
      try {
        Platform.fromTriple(row.triple());
      } catch (IllegalArgumentException e) {
        throw OciException.configuration(e.getMessage());
      }
      if (!Files.isRegularFile(row.binary())) {
        throw OciException.configuration(
            row.binary()
                + " is missing: the image of "
                + row.triple()
                + " needs the patched"
                + " binary (run pbs:patch first)");
      }
      if (!Files.isDirectory(row.python())) {
        throw OciException.configuration(
            row.python()
                + " is missing: the image of "
                + row.triple()
                + " needs the bundled"
                + " Python (run pbs:fetch first)");
      }
    }
    request.settings().validate();
  }

  /** The deb's layout of the row: the image holds exactly what the package installs. */
  private static Layout layout(ImageRequest request, ImageRequest.Row row) throws OciException {
    List<ReleaseLayouts.Extra> extras = new ArrayList<>();
    if (request.copyright() != null) {
      extras.add(
          new ReleaseLayouts.Extra(
              request.copyright(), "/usr/share/doc/" + request.app() + "/copyright", 0644, false));
    }
    extras.addAll(request.extras());
    try {
      return ReleaseLayouts.linuxPackage(
          request.app(),
          row.binary(),
          row.python(),
          new ReleaseLayouts.LinuxExtras(extras, request.directories(), List.of()));
    } catch (PackagingException e) {
      throw OciException.configuration(e.getMessage());
    }
  }

  private BuiltImage.PlatformImage platformImage(
      ImageRequest request,
      BaseImage base,
      ImageRequest.Row row,
      Platform wanted,
      Layout rowLayout,
      DeflatedBodies bodies,
      LayoutWriter layout)
      throws OciException, IOException {
    PlatformBase platformBase = base.select(wanted, row.triple());
    String baseName = base.reference() + " (" + platformBase.platform() + ")";
    BaseFilesystem fs = BaseFilesystem.read(platformBase, base.blobs(), baseName);
    OwnerIds ids =
        OwnerIds.of(
            fs.passwd(),
            fs.group(),
            request.settings().uids(),
            request.settings().gids(),
            baseName);
    Set<String> owned = new HashSet<>();
    request.directories().forEach(d -> owned.add(clean(d.path())));
    LayerPlan.Layers plan =
        LayerPlan.plan(
            rowLayout,
            request.app(),
            fs,
            ids,
            owned,
            request.epochSeconds(),
            request.runtimeEpochSeconds(),
            baseName);
    LayerWriter.Written runtime = LayerWriter.write(plan.runtime(), bodies, layout);
    listener.written(runtime.descriptor(), layout.blobPath(runtime.descriptor().digest()));
    LayerWriter.Written app = LayerWriter.write(plan.app(), bodies, layout);
    listener.written(app.descriptor(), layout.blobPath(app.descriptor().digest()));
    for (Descriptor layer : platformBase.layers()) {
      layout.addBlob(base.blobs(), layer);
    }
    ObjectNode config =
        ImageConfig.build(
            platformBase.configJson(),
            platformBase.platform(),
            request.settings(),
            request.app(),
            ociAnnotations(request),
            List.of(
                new ImageConfig.AddedLayer(
                    runtime.diffId(),
                    "pbs-toolchain: /usr/lib/" + request.app() + "/python (Python runtime)"),
                new ImageConfig.AddedLayer(
                    app.diffId(),
                    "pbs-toolchain: /usr/bin/"
                        + request.app()
                        + " and the package's files ("
                        + request.app()
                        + " "
                        + request.version()
                        + ")")),
            request.epochSeconds());
    Descriptor configBlob = layout.putBytes(MediaTypes.OCI_CONFIG, Json.bytes(config));
    listener.written(configBlob, layout.blobPath(configBlob.digest()));
    ObjectNode manifest = Json.object();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
    manifest.set("config", configBlob.toJson());
    ArrayNode layers = manifest.putArray("layers");
    for (Descriptor layer : platformBase.layers()) {
      layers.add(
          layer
              .withMediaType(MediaTypes.ociLayerType(layer.mediaType()))
              .withPlatform(null)
              .withAnnotations(Map.of())
              .toJson());
    }
    layers.add(runtime.descriptor().toJson());
    layers.add(app.descriptor().toJson());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(BASE_DIGEST, platformBase.manifest().digest().toString());
    if (base.registryReference() != null) {
      var reference = base.registryReference();
      annotations.put(
          BASE_NAME,
          reference.repositoryOnly() + (reference.tag() != null ? ":" + reference.tag() : ""));
    }
    manifest.set("annotations", Json.sorted(annotations));
    Descriptor manifestBlob = layout.putBytes(MediaTypes.OCI_MANIFEST, Json.bytes(manifest));
    console.info(
        row.triple()
            + " ("
            + platformBase.platform()
            + "): "
            + manifestBlob.digest()
            + " on "
            + platformBase.manifest().digest()
            + "; Python runtime layer "
            + runtime.entries()
            + " paths, "
            + mb(runtime.descriptor().size())
            + "; app layer "
            + app.entries()
            + " paths, "
            + mb(app.descriptor().size()));
    return new BuiltImage.PlatformImage(
        row.triple(),
        platformBase.platform(),
        manifestBlob.withPlatform(platformBase.platform()),
        platformBase.layers().size());
  }

  private static Descriptor index(
      ImageRequest request, List<BuiltImage.PlatformImage> images, LayoutWriter layout)
      throws IOException {
    ObjectNode index = Json.object();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode manifests = index.putArray("manifests");
    images.forEach(i -> manifests.add(i.manifest().toJson()));
    index.set("annotations", Json.sorted(ociAnnotations(request)));
    return layout.putBytes(MediaTypes.OCI_INDEX, Json.bytes(index));
  }

  /** The org.opencontainers.image.* annotations (also labels of the config). */
  static Map<String, String> ociAnnotations(ImageRequest request) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(CREATED, Instant.ofEpochSecond(request.epochSeconds()).toString());
    annotations.put(VERSION, request.version());
    ImageSettings s = request.settings();
    if (s.revision() != null && !s.revision().isBlank()) {
      annotations.put(REVISION, s.revision());
    }
    if (s.source() != null && !s.source().isBlank()) {
      annotations.put(SOURCE, s.source());
    }
    if (s.licenses() != null && !s.licenses().isBlank()) {
      annotations.put(LICENSES, s.licenses());
    }
    return annotations;
  }

  private List<Path> dockerArchives(
      ImageRequest request, Path dir, List<BuiltImage.PlatformImage> images, List<String> tags)
      throws IOException {
    List<Path> written = new ArrayList<>();
    if (request.dockerArchiveDir() == null) {
      return written;
    }
    String repository =
        request.settings().repository() != null ? request.settings().repository() : request.app();
    List<String> repoTags = tags.stream().map(t -> repository + ":" + t).toList();
    for (BuiltImage.PlatformImage image : images) {
      Platform p = image.platform();
      String platform =
          p.os()
              + "_"
              + p.architecture()
              + (p.variant().isEmpty()
                      || (p.architecture().equals("arm64") && p.variant().equals("v8"))
                  ? ""
                  : "_" + p.variant());
      Path file =
          request
              .dockerArchiveDir()
              .resolve(request.app() + "-" + request.version() + "_" + platform + ".docker.tar");
      ArchiveWriter.dockerArchive(dir, image.manifest(), repoTags, file, request.epochSeconds());
      console.info("Wrote " + file + " (docker load -i " + file.getFileName() + ")");
      written.add(file);
    }
    return written;
  }

  /** Beside the layout, not in it: the spill must not end up in the committed directory. */
  private static Path spillDir(ImageRequest request) {
    return request.layoutDir().toAbsolutePath().normalize().getParent();
  }

  private static String clean(String path) {
    String p = path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
