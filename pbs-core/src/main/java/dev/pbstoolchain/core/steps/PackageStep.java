package dev.pbstoolchain.core.steps;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.packaging.ReleasePackager;
import dev.pbstoolchain.core.release.AppInfo;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseTarget;
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

  public static Result run(Release release, PbsConsole console) throws PbsException {
    AppInfo app = release.app("pbs:package");
    Path dist = release.settings().distDir();
    Path copyright = release.settings().copyright();
    ReleasePackager packager = new ReleasePackager(console, release.names());
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
