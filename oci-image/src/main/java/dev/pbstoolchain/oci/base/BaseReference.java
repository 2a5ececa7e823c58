package dev.pbstoolchain.oci.base;

import dev.pbstoolchain.oci.registry.ImageReference;
import java.nio.file.Path;

/**
 * Where the base image comes from.
 *
 * @param kind layout directory, archive or registry
 * @param path the layout directory or archive file (null for a registry)
 * @param tag the tag inside a layout or archive, or null for its only image
 * @param registry the registry reference (null otherwise)
 */
public record BaseReference(Kind kind, Path path, String tag, ImageReference registry) {

  /** Where a base is read from. */
  public enum Kind {
    OCI_LAYOUT,
    OCI_ARCHIVE,
    REGISTRY
  }

  static final String LAYOUT_PREFIX = "oci-layout:";
  static final String ARCHIVE_PREFIX = "oci-archive:";

  /**
   * Parses {@code oci-layout:DIR[:TAG]}, {@code oci-archive:FILE[:TAG]} or a registry reference;
   * relative paths are taken from {@code baseDir}.
   */
  public static BaseReference parse(String text, Path baseDir) {
    String value = text.strip();
    if (value.startsWith(LAYOUT_PREFIX) || value.startsWith(ARCHIVE_PREFIX)) {
      boolean layout = value.startsWith(LAYOUT_PREFIX);
      String rest = value.substring((layout ? LAYOUT_PREFIX : ARCHIVE_PREFIX).length());
      String tag = null;
      int colon = rest.lastIndexOf(':');
      if (colon >= 0 && rest.indexOf('/', colon) < 0) {
        tag = rest.substring(colon + 1);
        rest = rest.substring(0, colon);
      }
      if (rest.isEmpty()) {
        throw new IllegalArgumentException(
            "'"
                + text
                + "' names no "
                + (layout ? "directory" : "file")
                + "; e.g. "
                + (layout ? "oci-layout:base/debian:bookworm" : "oci-archive:base/debian.tar"));
      }
      if (tag != null && tag.isEmpty()) {
        tag = null;
      }
      return new BaseReference(
          layout ? Kind.OCI_LAYOUT : Kind.OCI_ARCHIVE,
          baseDir.resolve(rest).normalize(),
          tag,
          null);
    }
    return new BaseReference(Kind.REGISTRY, null, null, ImageReference.parse(value));
  }

  /** Whether the reference names content that cannot change: a registry digest. */
  public boolean isPinned() {
    return kind != Kind.REGISTRY || registry.digest() != null;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case OCI_LAYOUT -> LAYOUT_PREFIX + path + (tag == null ? "" : ":" + tag);
      case OCI_ARCHIVE -> ARCHIVE_PREFIX + path + (tag == null ? "" : ":" + tag);
      case REGISTRY -> registry.toString();
    };
  }
}
