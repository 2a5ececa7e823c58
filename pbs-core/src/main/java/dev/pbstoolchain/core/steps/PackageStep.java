package dev.pbstoolchain.core.steps;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.io.LockFile;
import dev.pbstoolchain.core.packaging.ReleasePackager;
import dev.pbstoolchain.core.release.AppInfo;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** pbs:package: every format of every target, a .sha256 beside each, and SHA256SUMS. */
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
    Path dist = release.settings().distDir().toAbsolutePath().normalize();
    Path lockFile = DistDirectory.lockFile(dist);
    try (LockFile lock = LockFile.acquire(lockFile, "packaging into " + dist, console)) {
      removeLeftovers(dist, console);
      return packageAll(release, console, dist);
    } catch (IOException e) {
      throw PbsException.failure(
          "Cannot take the lock "
              + lockFile
              + " or clean "
              + dist
              + ": "
              + e.getMessage()
              + ". Check that the directory is writable, or package elsewhere with -D"
              + PropertyNames.DIST_DIR
              + "=DIR.",
          e);
    }
  }

  /** What killed builds left in the dist directory (see {@link DistDirectory}). */
  private static void removeLeftovers(Path dist, PbsConsole console) throws IOException {
    DistDirectory.removeLeftovers(dist, console);
  }

  private static Result packageAll(Release release, PbsConsole console, Path dist)
      throws PbsException {
    AppInfo app = release.app("pbs:package");
    Path copyright = release.settings().copyright();
    ReleasePackager packager =
        new ReleasePackager(console, release.names(), release.settings().bodyCache());
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
      for (Artifact artifact :
          packager.packageTarget(
              target, staged, app, Files.isRegularFile(copyright) ? copyright : null, dist)) {
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
    Path sums = ReleasePackager.writeDigests(dist, all);
    console.info("Wrote " + all.size() + " artifacts and " + sums);
    return new Result(all, sums);
  }
}
