package dev.pbstoolchain.core.steps;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.packaging.DistRecord;
import dev.pbstoolchain.core.packaging.PackagingInputs;
import dev.pbstoolchain.core.packaging.ReleasePackager;
import dev.pbstoolchain.core.publish.BuildManifests;
import dev.pbstoolchain.core.publish.PackageSigning;
import dev.pbstoolchain.core.publish.ReleaseSigning;
import dev.pbstoolchain.core.publish.TargetManifest;
import dev.pbstoolchain.core.release.AppInfo;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseTarget;
import dev.pbstoolchain.publishing.signing.Signer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * pbs:package: every format of every target, a .sha256 beside each, and SHA256SUMS; with a key, the
 * debs and rpms signed and SHA256SUMS.asc; and a build manifest per target for pbs:publish. A
 * target whose inputs (signing key included) are those of the last build keeps its packages;
 * outputs of formats, targets or versions the build no longer makes leave the dist directory.
 */
public final class PackageStep {

  /**
   * What pbs:package wrote.
   *
   * @param artifacts the artifacts, in target and format order
   * @param sums the SHA256SUMS file over all of them
   */
  public record Result(List<Artifact> artifacts, Path sums) {
    public Result {
      artifacts = List.copyOf(artifacts);
    }
  }

  private PackageStep() {}

  /**
   * Packages every target. Builds writing into one dist directory take turns on a lock beside it
   * ({@code .<dist>.pbs-package.lock}); each first removes the temp files a killed build left in it
   * (the writers' hidden {@code .*.tmp} files), which nobody else can be writing then.
   */
  public static Result run(Release release, PbsConsole console) throws PbsException {
    // The key is checked (passphrase, expiry, revocation) before anything is written.
    Optional<Signer> signer = ReleaseSigning.signer(release);
    Path dist = release.settings().distDir().toAbsolutePath().normalize();
    return DistDirectory.locked(
        dist, "packaging into", console, () -> packageAll(release, console, dist, signer));
  }

  /**
   * What the debs and rpms will lack, said once before they are written: a copyright file (lintian
   * E: no-copyright-file) and an extended description (lintian W: extended-description-is-empty).
   */
  private static void warnAboutMetadata(
      Release release, AppInfo app, Path copyright, PbsConsole console) throws PbsException {
    boolean linux =
        release.targets("pbs:package").stream()
            .anyMatch(t -> t.formats().contains("deb") || t.formats().contains("rpm"));
    if (!linux) {
      return;
    }
    if (!Files.isRegularFile(copyright)) {
      console.warn(
          "No copyright file at "
              + copyright
              + ": the debs and rpms carry no /usr/share/doc/"
              + app.name()
              + "/copyright (lintian: no-copyright-file); write one in Debian's format or set"
              + " pbs.copyright to it");
    }
    if (app.longDescription().isBlank()) {
      console.warn(
          "app.longDescription is not set in matrix.yaml: the debs have no extended description"
              + " (lintian: extended-description-is-empty) and the rpms' %description repeats the"
              + " summary");
    }
  }

  private static Result packageAll(
      Release release, PbsConsole console, Path dist, Optional<Signer> signer) throws PbsException {
    AppInfo app = release.app("pbs:package");
    Path copyrightFile = release.settings().copyright();
    warnAboutMetadata(release, app, copyrightFile, console);
    Path copyright = Files.isRegularFile(copyrightFile) ? copyrightFile : null;
    ReleasePackager packager =
        new ReleasePackager(console, release.names(), release.settings().bodyCache());
    DistRecord previous = DistRecord.read(dist);
    Map<String, String> inputs = new LinkedHashMap<>();
    List<Artifact> all = new ArrayList<>();
    for (ReleaseTarget target : release.targets("pbs:package")) {
      Path staged = target.stagedBinary();
      if (!Files.isRegularFile(staged)) {
        throw PbsException.configuration(
            staged + " is missing: run pbs:patch before pbs:package (bind both to package)");
      }
      if (!Files.isDirectory(target.home())) {
        throw PbsException.configuration(
            target.home() + " is missing: run pbs:fetch for " + target.triple() + " first");
      }
      List<String> names = new ArrayList<>();
      for (String format : target.formats()) {
        names.add(release.names().of(format, target, app));
      }
      String fingerprint =
          fingerprint(
              release,
              target,
              staged,
              app,
              names,
              copyright,
              signer.map(Signer::fingerprint).orElse("unsigned"));
      inputs.put(target.triple(), fingerprint);
      Optional<List<Artifact>> kept = previous.unchanged(dist, target.triple(), fingerprint, names);
      if (kept.isPresent()) {
        console.info(
            target.triple()
                + ": packaging skipped, its inputs (binary, python/, matrix, app, options, pbs"
                + " version) are those of the last build: kept "
                + String.join(", ", names));
      }
      List<Artifact> made =
          kept.isPresent()
              ? kept.get()
              : signed(
                  packager.packageTarget(target, staged, app, copyright, dist), signer, console);
      for (Artifact artifact : made) {
        for (Artifact earlier : all) {
          if (earlier.file().equals(artifact.file())) {
            throw PbsException.configuration(
                "Two targets write "
                    + artifact.file().getFileName()
                    + " ("
                    + earlier.triple()
                    + " and "
                    + artifact.triple()
                    + "): give names."
                    + artifact.type()
                    + " in "
                    + release.settings().matrixFile()
                    + " a {platform} or {arch}");
          }
        }
        all.add(artifact);
      }
    }
    Set<String> owned = new LinkedHashSet<>();
    for (ReleaseTarget target : release.targets("pbs:package")) {
      owned.add(release.sbom(target, app).getFileName().toString());
      owned.add(TargetManifest.fileName(target.triple()));
    }
    if (release.image().isPresent()) {
      owned.add(release.imageArchive(app).getFileName().toString());
    }
    removeStale(dist, previous, all, owned, console);
    Path sums = ReleasePackager.writeDigests(dist, all);
    Path sumsSignature = sums.resolveSibling(sums.getFileName() + ".asc");
    if (signer.isPresent()) {
      console.info(
          "Signed "
              + PackageSigning.signSums(sums, signer.get())
              + " with "
              + signer.get().fingerprint());
    } else {
      removeStaleSignature(sumsSignature, console);
    }
    BuildManifests.write(release, all);
    try {
      DistRecord.write(dist, inputs, all, owned);
    } catch (IOException e) {
      throw PbsException.failure("Cannot write " + DistRecord.file(dist) + ": " + e, e);
    }
    console.info("Wrote " + all.size() + " artifacts and " + sums);
    return new Result(all, sums);
  }

  private static String fingerprint(
      Release release,
      ReleaseTarget target,
      Path staged,
      AppInfo app,
      List<String> names,
      Path copyright,
      String signingKey)
      throws PbsException {
    try {
      return PackagingInputs.fingerprint(
          target, staged, app, names, release.settings().matrixFile(), copyright, signingKey);
    } catch (IOException e) {
      throw PbsException.failure(
          "Cannot read the inputs of " + target.triple() + "'s packages: " + e.getMessage(), e);
    }
  }

  /**
   * The debs and rpms signed in place when there is a key; the artifacts with their new SHA-256.
   */
  private static List<Artifact> signed(
      List<Artifact> made, Optional<Signer> signer, PbsConsole console) throws PbsException {
    return signer.isPresent() ? PackageSigning.signPackages(made, signer.get(), console) : made;
  }

  /** An unsigned build rewrites SHA256SUMS, so an earlier build's SHA256SUMS.asc no longer fits. */
  private static void removeStaleSignature(Path signature, PbsConsole console) throws PbsException {
    try {
      if (Files.deleteIfExists(signature)) {
        console.info(
            "Removed "
                + signature
                + ": this build signs nothing (to sign, set "
                + PropertyNames.SIGNING_KEY_FILE
                + ", "
                + PropertyNames.SIGNING_SERVER_ID
                + " or "
                + PropertyNames.SIGNING_GPG_KEY
                + ")");
      }
    } catch (IOException e) {
      throw PbsException.failure("Cannot remove the stale " + signature + ": " + e, e);
    }
  }

  /**
   * Removes what an earlier build wrote into {@code dist} that this one does not make: the packages
   * of a format, target or app version no longer released, with their .sha256, SBOM and image
   * archive. Files pbs never wrote stay.
   */
  private static void removeStale(
      Path dist, DistRecord previous, List<Artifact> made, Set<String> owned, PbsConsole console)
      throws PbsException {
    Set<String> current = new HashSet<>(owned);
    made.forEach(a -> current.add(a.file().getFileName().toString()));
    for (String name : previous.names()) {
      if (current.contains(name) || name.contains("/") || name.startsWith(".")) {
        continue;
      }
      try {
        boolean removed = Files.deleteIfExists(dist.resolve(name));
        Files.deleteIfExists(dist.resolve(name + ".sha256"));
        if (removed) {
          console.info(
              "Removed "
                  + dist.resolve(name)
                  + ": an earlier build's output this build does not make");
        }
      } catch (IOException e) {
        throw PbsException.failure("Cannot remove the stale " + dist.resolve(name) + ": " + e, e);
      }
    }
  }
}
