package dev.pbstoolchain.core.steps;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.release.AppInfo;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseTarget;
import dev.pbstoolchain.core.verify.ReleaseVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * pbs:verify: opens exactly the files pbs:package named and fails with a precise report if users
 * would be hurt; the report is also written as {@code verify-report.json}.
 */
public final class VerifyStep {

  private VerifyStep() {}

  /** Returns the checks, all passed; throws with the report when one failed. */
  public static List<ReleaseVerifier.Check> run(Release release, PbsConsole console)
      throws PbsException {
    Path dist = release.settings().distDir();
    AppInfo app = release.app("pbs:verify");
    List<Artifact> artifacts = new ArrayList<>();
    for (ReleaseTarget target : release.targets("pbs:verify")) {
      for (String format : target.formats()) {
        Path file = release.artifact(format, target, app);
        if (!Files.isRegularFile(file)) {
          throw PbsException.configuration(
              file + " is missing: run pbs:package before pbs:verify (bind both to package)");
        }
        artifacts.add(new Artifact(file, format, target.platform(), target.triple(), ""));
      }
    }
    List<ReleaseVerifier.Check> checks =
        ReleaseVerifier.verify(
            artifacts, app.name(), release.settings().maxGlibc(), dist.resolve(".verify"));
    Path json = ReleaseVerifier.writeJson(checks, dist.resolve("verify-report.json"));
    String report = ReleaseVerifier.text(checks);
    if (!checks.stream().allMatch(ReleaseVerifier.Check::passed)) {
      throw PbsException.failure(
          "Release verification failed (details in " + json + "):\n" + report);
    }
    console.info("Verified " + artifacts.size() + " artifacts:\n" + report);
    return checks;
  }
}
