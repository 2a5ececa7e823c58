package dev.pbstoolchain.oci.model;

/** The media types of the OCI image spec and the Docker v2 schema 2 types bases still use. */
public final class MediaTypes {

  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

  public static final String DOCKER_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP =
      "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_FOREIGN_LAYER =
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

  /** What a client accepts when it asks a registry for a manifest it has not seen yet. */
  public static final String ACCEPT_ANY_MANIFEST =
      String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST);

  private MediaTypes() {}

  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType);
  }

  public static boolean isManifest(String mediaType) {
    return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
  }

  /** How a layer's bytes are compressed, from its media type. */
  public enum Compression {
    NONE,
    GZIP,
    ZSTD
  }

  /** The compression of a layer media type, or null when it is not a layer we can read. */
  public static Compression layerCompression(String mediaType) {
    return switch (mediaType) {
      case OCI_LAYER, "application/vnd.oci.image.layer.nondistributable.v1.tar" -> Compression.NONE;
      case OCI_LAYER_GZIP,
          DOCKER_LAYER_GZIP,
          "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip" ->
          Compression.GZIP;
      case OCI_LAYER_ZSTD -> Compression.ZSTD;
      default -> null;
    };
  }

  /**
   * The OCI media type of a base layer in our OCI manifest: the bytes (and so the digest) stay the
   * same, only the name of their type changes (Docker's gzip layer is OCI's tar+gzip).
   */
  public static String ociLayerType(String mediaType) {
    return DOCKER_LAYER_GZIP.equals(mediaType) ? OCI_LAYER_GZIP : mediaType;
  }
}
