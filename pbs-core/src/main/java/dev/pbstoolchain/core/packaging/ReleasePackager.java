package dev.pbstoolchain.core.packaging;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.Triples;
import dev.pbstoolchain.core.matrix.Matrix;
import dev.pbstoolchain.core.release.AppInfo;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.ArtifactNames;
import dev.pbstoolchain.core.release.ReleaseTarget;
import dev.pbstoolchain.licenses.io.Sha256;
import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.deb.DebWriter;
import dev.pbstoolchain.packagers.io.Compression;
import dev.pbstoolchain.packagers.io.DeflatedBodies;
import dev.pbstoolchain.packagers.layout.CaseFolding;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.PackageVersion;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import dev.pbstoolchain.packagers.rpm.RpmWriter;
import dev.pbstoolchain.packagers.tar.TarGzWriter;
import dev.pbstoolchain.packagers.zip.ZipWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Produces every format a matrix row asks for, with a .sha256 beside each artifact. */
public final class ReleasePackager {

  private final PbsConsole console;
  private final ArtifactNames names;

  public ReleasePackager(PbsConsole console, ArtifactNames names) {
    this.console = console;
    this.names = names;
  }

  /** Packages one target from its staged binary; returns the artifacts written to {@code dist}. */
  public List<Artifact> packageTarget(
      ReleaseTarget target, Path stagedBinary, AppInfo app, Path copyright, Path dist)
      throws PbsException {
    List<Artifact> artifacts = new ArrayList<>();
    try {
      // An unmappable version fails here, before anything is written.
      PackageVersion.from(app.version());
      Map<String, Layout> layouts = new LinkedHashMap<>();
      // One walk of the bundled Python serves every format.
      Layout python = Layout.tree(target.home());
      for (String format : target.formats()) {
        layouts.put(format, layout(format, target, python, stagedBinary, app, copyright));
      }
      // Each file of the tree is deflated once; every gzip format splices the same bodies (an xz
      // or zstd deb/rpm compresses its own stream).
      Map<String, Layout> spliced = new LinkedHashMap<>(layouts);
      if (target.extras().compression() != Compression.GZIP) {
        spliced.keySet().removeAll(List.of("deb", "rpm"));
      }
      Set<DeflatedBodies.Digest> digests = EnumSet.noneOf(DeflatedBodies.Digest.class);
      if (spliced.containsKey("deb")) {
        digests.add(DeflatedBodies.Digest.MD5);
      }
      if (spliced.containsKey("rpm")) {
        digests.add(DeflatedBodies.Digest.SHA256);
      }
      // The deb and the rpm declare the same needs: scan their layout once.
      Layout linux = layouts.containsKey("deb") ? layouts.get("deb") : layouts.get("rpm");
      PackageInfo info =
          linux == null
              ? null
              : info(
                  target,
                  app,
                  relations(target, linux, systemNeeds(target, layouts.containsKey("deb"))));
      try (DeflatedBodies bodies =
          DeflatedBodies.of(spliced.values(), dist, TarGzWriter.LEVEL, digests)) {
        for (String format : target.formats()) {
          artifacts.add(write(format, layouts.get(format), bodies, target, app, info, dist));
        }
      }
    } catch (PackagingException e) {
      throw PbsException.failure(e.getMessage(), e);
    } catch (IOException e) {
      throw PbsException.failure("Cannot write to " + dist + ": " + e.getMessage(), e);
    }
    return artifacts;
  }

  private static Layout layout(
      String format,
      ReleaseTarget target,
      Layout python,
      Path stagedBinary,
      AppInfo app,
      Path copyright)
      throws PackagingException, PbsException {
    return switch (format) {
      case "tar.gz" -> {
        Layout tarball = ReleaseLayouts.tarball(app.name(), app.version(), stagedBinary, python);
        // macOS unpacks onto a case-insensitive file system by default.
        yield target.triple().contains("-apple-")
            ? CaseFolding.fold(tarball, app.name() + " " + target.platform() + " tar.gz")
            : tarball;
      }
      case "deb", "rpm" -> linuxLayout(target, python, stagedBinary, app, copyright);
      case "zip" -> ReleaseLayouts.windowsZip(app.name(), stagedBinary, python);
      default ->
          throw PbsException.configuration("Unknown format " + format + " for " + target.triple());
    };
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

  /**
   * Writes one artifact.
   *
   * @param info the deb and rpm metadata, null when the target makes neither
   */
  private Artifact write(
      String format,
      Layout layout,
      DeflatedBodies bodies,
      ReleaseTarget target,
      AppInfo app,
      PackageInfo info,
      Path dist)
      throws PackagingException, IOException, PbsException {
    Path file = dist.resolve(names.of(format, target, app));
    switch (format) {
      case "tar.gz" -> TarGzWriter.write(layout, file, app.epochSeconds(), bodies);
      case "deb" -> DebWriter.write(layout, info, target.extras().compression(), file, bodies);
      case "rpm" ->
          RpmWriter.write(
              layout,
              info,
              target.extras().compression(),
              ReleaseLayouts.rpmOwnedDirectories(
                  app.name(), target.extras().files(), target.extras().directories()),
              file,
              bodies);
      case "zip" -> ZipWriter.write(layout, file, app.epochSeconds(), bodies);
      default ->
          throw PbsException.configuration("Unknown format " + format + " for " + target.triple());
    }
    String sha = Sha256.of(file);
    Files.writeString(
        file.resolveSibling(file.getFileName() + ".sha256"),
        sha + "  " + file.getFileName() + "\n",
        StandardCharsets.UTF_8);
    console.info("Wrote " + file + " (sha256 " + sha + ")");
    return new Artifact(file, format, target.platform(), target.triple(), sha);
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
    List<ReleaseLayouts.Extra> extras = new ArrayList<>();
    if (copyright != null) {
      extras.add(
          new ReleaseLayouts.Extra(
              copyright, "/usr/share/doc/" + app.name() + "/copyright", 0644, false));
    }
    extras.addAll(target.extras().files());
    return ReleaseLayouts.linuxPackage(
        app.name(), binary, python, extras, target.extras().directories());
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
    return PackageInfo.of(
            app.name(),
            app.version(),
            app.summary(),
            app.maintainer(),
            target.triple(),
            app.epochSeconds())
        .withDescription(app.summary(), app.homepage(), app.license(), packaging.vendor())
        .withCategory(packaging.section(), packaging.group())
        .withRelations(
            relations.debDepends(),
            relations.rpmRequires(),
            packaging.recommends(),
            packaging.conflicts(),
            packaging.provides())
        .withScripts(target.extras().scriptTexts());
  }

  /** Writes {@code SHA256SUMS} for every artifact of the build. */
  public static Path writeDigests(Path dist, List<Artifact> artifacts) throws PbsException {
    StringBuilder sums = new StringBuilder();
    artifacts.stream()
        .sorted(java.util.Comparator.comparing(a -> a.file().getFileName().toString()))
        .forEach(
            a -> sums.append(a.sha256()).append("  ").append(a.file().getFileName()).append('\n'));
    try {
      return Files.writeString(dist.resolve("SHA256SUMS"), sums, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw PbsException.failure(
          "Cannot write " + dist.resolve("SHA256SUMS") + ": " + e.getMessage(), e);
    }
  }
}
