package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.plugin.pbs.PbsException;
import dev.pbstoolchain.plugin.release.Artifact;
import dev.pbstoolchain.plugin.release.ReleaseVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Opens every artifact of the build and fails with a precise report if users would be hurt. */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class VerifyMojo extends AbstractPbsMojo {

  /** The highest glibc the release may need. */
  @Parameter(property = "pbs.maxGlibc", defaultValue = "2.23")
  private String maxGlibc;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.VERIFY_SKIP, defaultValue = "false")
  private boolean skipVerify;

  @Override
  protected boolean skipGoal() {
    return skipVerify;
  }

  @Override
  protected String goal() {
    return "pbs:verify";
  }

  @Override
  protected void run() throws PbsException {
    List<Artifact> artifacts = new ArrayList<>();
    Path dist = distDir.toPath();
    var names = artifactNames();
    var app = appInfo();
    for (var target : releaseTargets()) {
      for (String format : target.formats()) {
        Path file = dist.resolve(names.of(format, target, app));
        if (!Files.isRegularFile(file)) {
          throw PbsException.configuration(
              file + " is missing: run pbs:package before pbs:verify (bind both to package)");
        }
        artifacts.add(new Artifact(file, format, target.platform(), target.triple(), ""));
      }
    }
    List<ReleaseVerifier.Check> checks =
        ReleaseVerifier.verify(artifacts, appInfo().name(), maxGlibc, dist.resolve(".verify"));
    ReleaseVerifier.writeJson(checks, dist.resolve("verify-report.json"));
    String report = ReleaseVerifier.text(checks);
    if (checks.stream().allMatch(ReleaseVerifier.Check::passed)) {
      getLog().info("Verified " + artifacts.size() + " artifacts:\n" + report);
    } else {
      throw PbsException.failure(
          "Release verification failed (details in "
              + dist.resolve("verify-report.json")
              + "):\n"
              + report);
    }
  }
}
