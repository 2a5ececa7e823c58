package dev.pbstoolchain.packagers.format;

import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.deflate.DeflatedBodies.Digest;
import dev.pbstoolchain.packagers.layout.LayoutKind;
import dev.pbstoolchain.packagers.output.Compression;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The artifact formats, each with what it takes: the layout it ships, the per-file digests it
 * records, its usual file name, and whether it splices the file contents deflated once for every
 * format of a release.
 */
public enum Format {
  TAR_GZ("tar.gz", LayoutKind.TARBALL, Set.of(), "{name}-{version}_{platform}.tar.gz"),
  /** md5sums in the control archive. */
  DEB("deb", LayoutKind.LINUX_PACKAGE, Set.of(Digest.MD5), "{name}_{debVersion}_{debArch}.deb"),
  /** SHA-256 file digests in the header. */
  RPM(
      "rpm",
      LayoutKind.LINUX_PACKAGE,
      Set.of(Digest.SHA256),
      "{name}-{rpmVersion}-{rpmRelease}.{rpmArch}.rpm"),
  ZIP("zip", LayoutKind.WINDOWS_ZIP, Set.of(), "{name}-{version}-{platform}.zip");

  private final String id;
  private final LayoutKind layout;
  private final Set<Digest> digests;
  private final String defaultName;

  Format(String id, LayoutKind layout, Set<Digest> digests, String defaultName) {
    this.id = id;
    this.layout = layout;
    this.digests = digests;
    this.defaultName = defaultName;
  }

  /** The name users write, e.g. in matrix.yaml's {@code formats: [tar.gz, deb]}. */
  public String id() {
    return id;
  }

  public LayoutKind layout() {
    return layout;
  }

  /** The digests of each file this format records. */
  public Set<Digest> digests() {
    return digests;
  }

  /**
   * The usual artifact name, from {@code {name}}, {@code {version}}, {@code {platform}}, {@code
   * {debVersion}}, {@code {debArch}}, {@code {rpmVersion}}, {@code {rpmRelease}}, {@code
   * {rpmArch}}.
   */
  public String defaultName() {
    return defaultName;
  }

  /**
   * Whether this format's files are the shared deflated bodies: tar.gz and zip always, deb and rpm
   * when their payload is gzip (xz and zstd compress their own stream).
   */
  public boolean splices(Compression payload) {
    return layout != LayoutKind.LINUX_PACKAGE || payload == Compression.GZIP;
  }

  /** The format of an id, e.g. {@code tar.gz}. */
  public static Format of(String id) throws PackagingException {
    for (Format format : values()) {
      if (format.id.equals(id)) {
        return format;
      }
    }
    throw new PackagingException(
        "Unknown format '"
            + id
            + "'; the formats are "
            + Arrays.stream(values()).map(Format::id).collect(Collectors.joining(", "))
            + ".");
  }

  @Override
  public String toString() {
    return id;
  }
}
