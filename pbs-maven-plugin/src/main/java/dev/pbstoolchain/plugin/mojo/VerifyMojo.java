package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.core.steps.VerifyStep;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Opens every artifact of the build and fails with a precise report if users would be hurt. */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class VerifyMojo extends AbstractPbsMojo {

  /** The highest glibc the release may need. */
  @Parameter(property = PropertyNames.MAX_GLIBC, defaultValue = ReleaseSettings.DEFAULT_MAX_GLIBC)
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
  protected ReleaseSettings.Builder settings() {
    return super.settings().maxGlibc(maxGlibc);
  }

  @Override
  protected void run(Release release, PbsConsole console) throws PbsException {
    VerifyStep.run(release, console);
  }
}
