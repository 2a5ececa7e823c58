package dev.pbstoolchain.packagers.format;

import dev.pbstoolchain.packagers.PackageSigner;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import dev.pbstoolchain.packagers.output.Compression;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The artifacts of one release to write together: each format with its layout and file, and what
 * they share.
 *
 * @param artifacts what to write, in this order
 * @param info the package's metadata (deb control, rpm header) and the one timestamp of every
 *     format
 * @param compression the deb's data and the rpm's payload compression
 * @param rpmOwnedDirectories the directories the rpm lists as its own (see {@link
 *     ReleaseLayouts#rpmOwnedDirectories})
 * @param signer signs the debs and rpms as they are written, when present (tar.gz and zip carry no
 *     signature of their own)
 * @param bodyCache the root of the {@link dev.pbstoolchain.packagers.deflate.BodyCache} that keeps
 *     deflated file contents between builds and goals (the bytes are the same without it), or empty
 *     for none
 */
public record PackagingRequest(
    List<Artifact> artifacts,
    PackageInfo info,
    Compression compression,
    Set<String> rpmOwnedDirectories,
    Optional<PackageSigner> signer,
    Optional<Path> bodyCache) {

  /**
   * One artifact.
   *
   * @param format its format
   * @param layout the layout of the format's {@link Format#layout() kind}
   * @param output the file to write
   */
  public record Artifact(Format format, Layout layout, Path output) {}

  public PackagingRequest {
    artifacts = List.copyOf(artifacts);
    rpmOwnedDirectories = Set.copyOf(rpmOwnedDirectories);
    Objects.requireNonNull(signer, "signer: Optional.empty() for none");
    Objects.requireNonNull(bodyCache, "bodyCache: Optional.empty() for none");
    Set<Path> outputs = new HashSet<>();
    for (Artifact artifact : artifacts) {
      if (!outputs.add(artifact.output().toAbsolutePath().normalize())) {
        throw new IllegalArgumentException(
            "Two artifacts would be written to " + artifact.output());
      }
    }
  }

  /** A request for the package {@code info} describes; add its artifacts. */
  public static Builder builder(PackageInfo info) {
    return new Builder(info);
  }

  /**
   * Collects the artifacts of a request; gzip payloads, the app's own rpm directories and no
   * signatures unless told otherwise.
   */
  public static final class Builder {
    private final PackageInfo info;
    private final List<Artifact> artifacts = new ArrayList<>();
    private Compression compression = Compression.GZIP;
    private Set<String> rpmOwnedDirectories;
    private Optional<PackageSigner> signer = Optional.empty();
    private Optional<Path> bodyCache = Optional.empty();

    private Builder(PackageInfo info) {
      this.info = info;
      this.rpmOwnedDirectories =
          ReleaseLayouts.rpmOwnedDirectories(info.name(), ReleaseLayouts.LinuxExtras.NONE);
    }

    public Builder artifact(Format format, Layout layout, Path output) {
      artifacts.add(new Artifact(format, layout, output));
      return this;
    }

    public Builder compression(Compression payload) {
      compression = payload;
      return this;
    }

    public Builder rpmOwnedDirectories(Set<String> directories) {
      rpmOwnedDirectories = directories;
      return this;
    }

    /** Signs the debs and rpms of the request with {@code packageSigner}. */
    public Builder signer(PackageSigner packageSigner) {
      signer = Optional.of(packageSigner);
      return this;
    }

    /** Keeps deflated file contents under {@code root} for later builds and goals. */
    public Builder bodyCache(Path root) {
      bodyCache = Optional.of(root);
      return this;
    }

    public PackagingRequest build() {
      return new PackagingRequest(
          artifacts, info, compression, rpmOwnedDirectories, signer, bodyCache);
    }
  }
}
