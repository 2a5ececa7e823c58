package dev.pbstoolchain.oci.image;

import dev.pbstoolchain.oci.registry.RegistrySettings;
import dev.pbstoolchain.packagers.deflate.DeflatedBodies;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one image build needs: the release (app, version, one row per Linux target with its
 * patched binary and bundled Python, the package's extra files and directories), the base, what the
 * image says about itself, and where the outputs go.
 *
 * @param app the app's name (the binary is {@code /usr/bin/APP})
 * @param version the release version
 * @param rows one per Linux target, in the order the index lists them
 * @param extras the package's extra files (as for the deb)
 * @param directories the package's owned directories
 * @param copyright the copyright file for {@code /usr/share/doc/APP/copyright}, or null
 * @param base {@code oci-layout:DIR[:TAG]}, {@code oci-archive:FILE[:TAG]} or a registry reference
 * @param projectDir what relative base paths are relative to
 * @param settings the image's config, tags and annotations
 * @param epochSeconds the one time of the build (config created, every mtime of the app layer)
 * @param runtimeEpochSeconds the mtime in the Python runtime layer: the PBS release's date, so that
 *     the layer's bytes change only when PBS does
 * @param layoutDir the OCI layout directory to write
 * @param archive the oci-archive to write, or null
 * @param dockerArchiveDir where per-platform docker-archives go, or null for none
 * @param cacheDir where blobs of a registry base are cached
 * @param registry how to reach registries (for a registry base)
 * @param sharedBodies file contents pbs:package already deflated, or null to deflate them here
 * @param bodyCache the root of the {@link dev.pbstoolchain.packagers.deflate.BodyCache} where
 *     pbs:package left the file contents it deflated (content not found there is deflated here and
 *     added), or null for none; the bytes are the same either way
 */
public record ImageRequest(
    String app,
    String version,
    List<Row> rows,
    List<ReleaseLayouts.Extra> extras,
    List<ReleaseLayouts.OwnedDirectory> directories,
    Path copyright,
    String base,
    Path projectDir,
    ImageSettings settings,
    long epochSeconds,
    long runtimeEpochSeconds,
    Path layoutDir,
    Path archive,
    Path dockerArchiveDir,
    Path cacheDir,
    RegistrySettings registry,
    DeflatedBodies sharedBodies,
    Path bodyCache) {

  /**
   * One Linux target of the image.
   *
   * @param triple e.g. {@code aarch64-unknown-linux-gnu}
   * @param binary the patched app binary
   * @param python the bundled Python tree ({@code python/}, with its LICENSE.md)
   */
  public record Row(String triple, Path binary, Path python) {}

  public ImageRequest {
    rows = List.copyOf(rows);
    extras = List.copyOf(extras);
    directories = List.copyOf(directories);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a request; app, version, rows, base and layoutDir are required. */
  public static final class Builder {
    private String app;
    private String version;
    private final List<Row> rows = new ArrayList<>();
    private List<ReleaseLayouts.Extra> extras = List.of();
    private List<ReleaseLayouts.OwnedDirectory> directories = List.of();
    private Path copyright;
    private String base;
    private Path projectDir = Path.of(".");
    private ImageSettings settings = ImageSettings.defaults();
    private long epochSeconds = 315532800L;
    private Long runtimeEpochSeconds;
    private Path layoutDir;
    private Path archive;
    private Path dockerArchiveDir;
    private Path cacheDir =
        Path.of(System.getProperty("user.home"), ".cache", "pbs-toolchain", "oci");
    private RegistrySettings registry = RegistrySettings.defaults();
    private DeflatedBodies sharedBodies;
    private Path bodyCache;

    public Builder app(String name, String releaseVersion) {
      app = name;
      version = releaseVersion;
      return this;
    }

    public Builder row(String triple, Path binary, Path python) {
      rows.add(new Row(triple, binary, python));
      return this;
    }

    public Builder extras(List<ReleaseLayouts.Extra> value) {
      extras = value;
      return this;
    }

    public Builder directories(List<ReleaseLayouts.OwnedDirectory> value) {
      directories = value;
      return this;
    }

    public Builder copyright(Path value) {
      copyright = value;
      return this;
    }

    public Builder base(String reference, Path relativeTo) {
      base = reference;
      projectDir = relativeTo;
      return this;
    }

    public Builder settings(ImageSettings value) {
      settings = value;
      return this;
    }

    public Builder epochSeconds(long value) {
      epochSeconds = value;
      return this;
    }

    /** The runtime layer's mtime (defaults to {@link #epochSeconds(long)}'s). */
    public Builder runtimeEpochSeconds(long value) {
      runtimeEpochSeconds = value;
      return this;
    }

    public Builder layoutDir(Path value) {
      layoutDir = value;
      return this;
    }

    public Builder archive(Path value) {
      archive = value;
      return this;
    }

    public Builder dockerArchiveDir(Path value) {
      dockerArchiveDir = value;
      return this;
    }

    public Builder cacheDir(Path value) {
      cacheDir = value;
      return this;
    }

    public Builder registry(RegistrySettings value) {
      registry = value;
      return this;
    }

    public Builder sharedBodies(DeflatedBodies value) {
      sharedBodies = value;
      return this;
    }

    public Builder bodyCache(Path value) {
      bodyCache = value;
      return this;
    }

    public ImageRequest build() {
      return new ImageRequest(
          app,
          version,
          rows,
          extras,
          directories,
          copyright,
          base,
          projectDir,
          settings,
          epochSeconds,
          runtimeEpochSeconds != null ? runtimeEpochSeconds : epochSeconds,
          layoutDir,
          archive,
          dockerArchiveDir,
          cacheDir,
          registry,
          sharedBodies,
          bodyCache);
    }
  }
}
