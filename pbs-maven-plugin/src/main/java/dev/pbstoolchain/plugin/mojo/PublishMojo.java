package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.release.PublishSettings;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.core.steps.PublishStep;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Gathers the outputs of the release's build jobs (one per target, e.g. parallel CI jobs, or this
 * build's own), checks each against its build manifest (hashes, pbs:verify passed, the same PBS
 * release, app version and outputTimestamp in every job), and writes the signed release: the
 * artifacts, SHA256SUMS + SHA256SUMS.asc, {@code apt/}, {@code yum/} and KEY.asc.
 */
@Mojo(name = "publish", threadSafe = true)
public class PublishMojo extends AbstractSigningMojo {

  /**
   * Comma-separated directories holding the build jobs' {@code target/pbs-dist} outputs. Default:
   * this build's dist directory.
   */
  @Parameter(property = PropertyNames.PUBLISH_FROM)
  private String from;

  /** Where the release is written. */
  @Parameter(
      property = PropertyNames.PUBLISH_TO,
      defaultValue = "${project.build.directory}/pbs-release")
  private File to;

  /** The APT repository the debs are added to (it keeps earlier versions). Default: TO/apt. */
  @Parameter(property = PropertyNames.PUBLISH_APT)
  private File apt;

  /** The YUM repository the rpms are added to (it keeps earlier versions). Default: TO/yum. */
  @Parameter(property = PropertyNames.PUBLISH_YUM)
  private File yum;

  /** The APT suite. */
  @Parameter(property = PropertyNames.PUBLISH_SUITE, defaultValue = "stable")
  private String suite;

  /** The APT component. */
  @Parameter(property = PropertyNames.PUBLISH_COMPONENT, defaultValue = "main")
  private String component;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.PUBLISH_SKIP, defaultValue = "false")
  private boolean skipPublish;

  @Override
  protected boolean skipGoal() {
    return skipPublish;
  }

  @Override
  protected ReleaseSettings.Builder settings() throws MojoFailureException {
    Path base = project.getBasedir().toPath();
    List<Path> dirs =
        from == null
            ? List.of()
            : Arrays.stream(from.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(base::resolve)
                .toList();
    return super.settings()
        .publish(
            new PublishSettings(
                dirs,
                to.toPath(),
                apt == null ? null : apt.toPath(),
                yum == null ? null : yum.toPath(),
                suite,
                component));
  }

  @Override
  protected void run(Release release, PbsConsole console) throws PbsException {
    PublishStep.run(release, console);
  }
}
