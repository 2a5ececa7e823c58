package dev.pbstoolchain.core.packaging;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.Triples;
import dev.pbstoolchain.core.io.AtomicFiles;
import dev.pbstoolchain.core.matrix.Matrix;
import dev.pbstoolchain.core.release.AppInfo;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.ArtifactNames;
import dev.pbstoolchain.core.release.ReleaseTarget;
import dev.pbstoolchain.licenses.io.Sha256;
import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.format.Format;
import dev.pbstoolchain.packagers.format.Packager;
import dev.pbstoolchain.packagers.format.PackagingRequest;
import dev.pbstoolchain.packagers.layout.CaseFolding;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.LayoutKind;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.PackageVersion;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Produces every format a matrix row asks for, with a .sha256 beside each artifact. */
public final class ReleasePackager {

  private final PbsConsole console;
  private final ArtifactNames names;
  private final Path bodyCache;

  public ReleasePackager(PbsConsole console, ArtifactNames names) {
    this(console, names, null);
  }

  /**
   * @param bodyCache where deflated file contents are kept for later goals and builds, or null
   */
  public ReleasePackager(PbsConsole console, ArtifactNames names, Path bodyCache) {
    this.console = console;
    this.names = names;
    this.bodyCache = bodyCache;
  }

  /** Packages one target from its staged binary; returns the artifacts written to {@code dist}. */
  public List<Artifact> packageTarget(
      ReleaseTarget target, Path stagedBinary, AppInfo app, Path copyright, Path dist)
      throws PbsException {
    List<Artifact> artifacts = new ArrayList<>();
    try {
      // An unmappable version fails here, before anything is written.
      PackageVersion.from(app.version());
      List<Format> formats = new ArrayList<>();
      for (String id : target.formats()) {
        formats.add(format(id, target));
      }
      // One walk of the bundled Python serves every format, one layout each kind.
      Layout python = Layout.tree(target.home());
      Map<LayoutKind, Layout> layouts = new EnumMap<>(LayoutKind.class);
      for (Format format : formats) {
        if (!layouts.containsKey(format.layout())) {
          layouts.put(
              format.layout(),
              layout(format.layout(), target, python, stagedBinary, app, copyright));
        }
      }
      // The deb and the rpm declare the same needs: scan their layout once.
      Layout linux = layouts.get(LayoutKind.LINUX_PACKAGE);
      PackageInfo info =
          linux != null
              ? info(
                  target,
                  app,
                  relations(target, linux, systemNeeds(target, formats.contains(Format.DEB))))
              : PackageInfo.builder(app.name(), app.version(), target.triple(), app.epochSeconds())
                  .build();
      if (linux != null) {
        warnAboutChangelog(target, info);
      }
      PackagingRequest.Builder request =
          PackagingRequest.builder(info)
              .compression(target.extras().compression())
              .rpmOwnedDirectories(
                  ReleaseLayouts.rpmOwnedDirectories(app.name(), target.extras().linux()));
      if (bodyCache != null) {
        request.bodyCache(bodyCache);
      }
      List<Path> files = new ArrayList<>();
      for (Format format : formats) {
        Path file = dist.resolve(names.of(format.id(), target, app));
        request.artifact(format, layouts.get(format.layout()), file);
        files.add(file);
      }
      Packager.writeAll(request.build());
      for (int i = 0; i < formats.size(); i++) {
        artifacts.add(record(files.get(i), formats.get(i), target));
      }
    } catch (PackagingException e) {
      throw PbsException.failure(e.getMessage(), e);
    } catch (IOException e) {
      throw PbsException.failure("Cannot write to " + dist + ": " + e.getMessage(), e);
    }
    return artifacts;
  }

  private static Format format(String id, ReleaseTarget target) throws PbsException {
    try {
      return Format.of(id);
    } catch (PackagingException e) {
      throw PbsException.configuration(
          "Unknown format " + id + " for " + target.triple() + ": " + e.getMessage());
    }
  }

  private static Layout layout(
      LayoutKind kind,
      ReleaseTarget target,
      Layout python,
      Path stagedBinary,
      AppInfo app,
      Path copyright)
      throws PackagingException {
    return switch (kind) {
      case TARBALL -> {
        Layout tarball = ReleaseLayouts.tarball(app.name(), app.version(), stagedBinary, python);
        // macOS unpacks onto a case-insensitive file system by default.
        yield target.triple().contains("-apple-")
            ? CaseFolding.fold(tarball, app.name() + " " + target.platform() + " tar.gz")
            : tarball;
      }
      case LINUX_PACKAGE -> linuxLayout(target, python, stagedBinary, app, copyright);
      case WINDOWS_ZIP -> ReleaseLayouts.windowsZip(app.name(), stagedBinary, python);
    };
  }

  /**
   * A changelog whose newest entry is not this release is kept (the release may be a rebuild), but
   * said: rpmlint calls it incoherent-version-in-changelog.
   */
  private void warnAboutChangelog(ReleaseTarget target, PackageInfo info) throws PbsException {
    String newest = info.changelog().newestVersion();
    String release;
    try {
      release = PackageVersion.from(info.version()).deb();
    } catch (PackagingException e) {
      throw PbsException.configuration(e.getMessage());
    }
    if (!newest.isEmpty() && !newest.equals(release)) {
      console.warn(
          target.triple()
              + ": the newest entry of packaging.changelog ("
              + target.extras().changelog().orElseThrow()
              + ") is "
              + newest
              + ", but the deb is "
              + release
              + ": add an entry for this release at its top");
    }
  }

  /** The system libraries the bundled Python needs, warning about them (for a deb). */
  private Set<String> systemNeeds(ReleaseTarget target, boolean deb) throws PbsException {
    Map<String, Set<String>> needs = SystemDependencies.scan(target.home());
    if (deb) {
      report(target, needs, "deb Depends");
      Map<String, String> declared = target.extras().packaging().systemLibraries();
      for (String soname : SystemDependencies.unmapped(needs.keySet())) {
        if (!declared.containsKey(soname)) {
          console.warn(
              target.triple()
                  + ": "
                  + soname
                  + " has no known Debian package, so it is not in Depends: add {soname: "
                  + soname
                  + ", deb: PACKAGE} to packaging.systemLibraries in matrix.yaml");
        }
      }
    }
    return needs.keySet();
  }

  /** Writes the artifact's {@code .sha256} beside it and says so. */
  private Artifact record(Path file, Format format, ReleaseTarget target) throws IOException {
    String sha = Sha256.of(file);
    AtomicFiles.writeString(
        file.resolveSibling(file.getFileName() + ".sha256"),
        sha + "  " + file.getFileName() + "\n");
    console.info("Wrote " + file + " (sha256 " + sha + ")");
    return new Artifact(file, format.id(), target.platform(), target.triple(), sha);
  }

  private void report(ReleaseTarget target, Map<String, Set<String>> needs, String where) {
    needs.forEach(
        (soname, users) ->
            console.warn(
                target.triple()
                    + ": the bundled Python needs "
                    + soname
                    + " from the system (for "
                    + String.join(", ", users)
                    + "); it is declared in the "
                    + where
                    + "."));
  }

  private static Layout linuxLayout(
      ReleaseTarget target, Layout python, Path binary, AppInfo app, Path copyright)
      throws PackagingException {
    ReleaseLayouts.LinuxExtras extras = target.extras().linux();
    if (copyright != null) {
      List<ReleaseLayouts.Extra> files = new ArrayList<>();
      files.add(
          new ReleaseLayouts.Extra(
              copyright, "/usr/share/doc/" + app.name() + "/copyright", 0644, false));
      files.addAll(extras.files());
      extras = new ReleaseLayouts.LinuxExtras(files, extras.directories(), extras.symlinks());
    }
    return ReleaseLayouts.linuxPackage(app.name(), binary, python, extras);
  }

  /**
   * What the deb and rpm depend on: what dpkg-shlibdeps and rpmbuild would find in the layout's ELF
   * files, the bundled Python's system libraries, then matrix.yaml's relations.
   */
  static PackageRelations relations(ReleaseTarget target, Layout layout, Set<String> pythonNeeds)
      throws PbsException {
    Matrix.Packaging packaging = target.extras().packaging();
    // rpm marks the sonames a 64-bit library provides with ()(64bit): ppc64le, s390x, riscv64 too.
    boolean is64 = Triples.pointerWidth(target.triple()) == 64;
    return PackageRelations.of(
        NativeDependencies.scan(layout),
        new TreeSet<>(pythonNeeds),
        packaging.systemLibraries(),
        is64,
        packaging.depends(),
        packaging.requires());
  }

  static PackageInfo info(ReleaseTarget target, AppInfo app, PackageRelations relations)
      throws PbsException {
    Matrix.Packaging packaging = target.extras().packaging();
    return PackageInfo.builder(app.name(), app.version(), target.triple(), app.epochSeconds())
        .summary(app.summary())
        .maintainer(app.maintainer())
        .description(app.longDescription())
        .changelog(target.extras().changelogEntries())
        .homepage(app.homepage())
        .license(app.license())
        .vendor(packaging.vendor())
        .section(packaging.section())
        .group(packaging.group())
        .depends(relations.debDepends())
        .requires(relations.rpmRequires())
        .recommends(packaging.recommends())
        .conflicts(packaging.conflicts())
        .provides(packaging.provides())
        .scripts(target.extras().scriptTexts())
        .build();
  }

  /**
   * Adds (or replaces) one artifact's line in the {@code SHA256SUMS} pbs:package wrote, for an
   * artifact a later goal makes (pbs:image's oci-archive). The file is replaced atomically.
   */
  public static Path addDigest(Path dist, Path file, String sha256) throws PbsException {
    Path sums = dist.resolve("SHA256SUMS");
    String name = file.getFileName().toString();
    try {
      java.util.TreeMap<String, String> lines = new java.util.TreeMap<>();
      if (Files.isRegularFile(sums)) {
        for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
          int gap = line.indexOf("  ");
          if (gap > 0) {
            lines.put(line.substring(gap + 2), line);
          }
        }
      }
      lines.put(name, sha256 + "  " + name);
      Path temp = Files.createTempFile(dist, ".SHA256SUMS-", ".tmp");
      try {
        Files.writeString(temp, String.join("\n", lines.values()) + "\n", StandardCharsets.UTF_8);
        Files.move(
            temp,
            sums,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
      Files.writeString(
          file.resolveSibling(name + ".sha256"),
          sha256 + "  " + name + "\n",
          StandardCharsets.UTF_8);
      return sums;
    } catch (IOException e) {
      throw PbsException.failure("Cannot write " + sums + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code SHA256SUMS} for every artifact of the build. */
  public static Path writeDigests(Path dist, List<Artifact> artifacts) throws PbsException {
    StringBuilder sums = new StringBuilder();
    artifacts.stream()
        .sorted(java.util.Comparator.comparing(a -> a.file().getFileName().toString()))
        .forEach(
            a -> sums.append(a.sha256()).append("  ").append(a.file().getFileName()).append('\n'));
    try {
      return AtomicFiles.writeString(dist.resolve("SHA256SUMS"), sums);
    } catch (IOException e) {
      throw PbsException.failure(
          "Cannot write " + dist.resolve("SHA256SUMS") + ": " + e.getMessage(), e);
    }
  }
}
