package dev.pbstoolchain.core.publish;

import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.Toolchain;
import dev.pbstoolchain.core.fetch.FetchedSource;
import dev.pbstoolchain.core.release.AppInfo;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes (pbs:package) and updates (pbs:verify) each target's {@link TargetManifest}. */
public final class BuildManifests {

  private BuildManifests() {}

  /** One manifest per target of {@code artifacts}, verdict "not run", in the dist directory. */
  public static void write(Release release, List<Artifact> artifacts) throws PbsException {
    AppInfo app = release.app("pbs:package");
    Path dist = release.settings().distDir();
    for (ReleaseTarget target : release.targets("pbs:package")) {
      List<TargetManifest.Entry> entries = new ArrayList<>();
      for (Artifact a : artifacts) {
        if (a.triple().equals(target.triple())) {
          entries.add(
              new TargetManifest.Entry(
                  a.file().getFileName().toString(),
                  a.type(),
                  a.classifier(),
                  a.sha256(),
                  size(a.file())));
        }
      }
      String[] archive = archive(target.paths().pbsDir());
      new TargetManifest(
              Toolchain.version(),
              target.triple(),
              new TargetManifest.Pbs(
                  release.date(),
                  release.version(),
                  release.shippedFlavor(),
                  archive[1],
                  archive[0]),
              app.name(),
              app.version(),
              app.epochSeconds(),
              entries,
              TargetManifest.NOT_RUN,
              List.of())
          .write(dist);
    }
  }

  /** Records pbs:verify's verdict for one target in its manifest (when pbs:package wrote one). */
  public static void verified(Path dist, String triple, boolean passed, List<String> problems)
      throws PbsException {
    Path file = dist.resolve(TargetManifest.fileName(triple));
    if (Files.isRegularFile(file)) {
      TargetManifest.read(file).verified(passed, problems).write(dist);
    }
  }

  private static long size(Path file) throws PbsException {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw PbsException.failure("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * [sha256, file name] of the archive pbs:fetch unpacked, or empty strings. Not where it came
   * from: the mirror is named only in the log and verify-report.json, so jobs fetching through
   * different mirrors write the same manifest.
   */
  private static String[] archive(Path pbsDir) {
    return FetchedSource.of(pbsDir)
        .map(s -> new String[] {s.sha256(), s.fileName()})
        .orElse(new String[] {"", ""});
  }
}
