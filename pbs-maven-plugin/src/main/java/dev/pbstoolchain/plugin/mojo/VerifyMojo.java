package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.plugin.pbs.PbsException;
import dev.pbstoolchain.plugin.release.Artifact;
import dev.pbstoolchain.plugin.release.ReleaseVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
    for (var target : releaseTargets()) {
      try (Stream<Path> files = Files.list(dist)) {
        for (Path file : files.sorted().toList()) {
          String name = file.getFileName().toString();
          for (String format : target.formats()) {
            boolean mine =
                name.endsWith("." + format)
                    && (name.contains(target.platform())
                        || name.contains("_" + debArch(target.triple()) + ".deb")
                        || name.endsWith("." + rpmArch(target.triple()) + ".rpm"));
            if (mine) {
              artifacts.add(new Artifact(file, format, target.platform(), target.triple(), ""));
            }
          }
        }
      } catch (IOException e) {
        throw PbsException.configuration(dist + " cannot be read: run pbs:package first");
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

  private static String debArch(String triple) {
    return triple.startsWith("aarch64") ? "arm64" : "amd64";
  }

  private static String rpmArch(String triple) {
    return triple.startsWith("aarch64") ? "aarch64" : "x86_64";
  }
}
