package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.core.steps.PatchStep;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Stages each target's binary patched to find the bundled Python (RUNPATH on Linux). */
@Mojo(name = "patch", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class PatchMojo extends AbstractPbsMojo {

  /** The RUNPATH to set; default {@code $ORIGIN/python/lib:$ORIGIN/../lib/APP/python/lib}. */
  @Parameter(property = PropertyNames.RPATH)
  private String rpath;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.PATCH_SKIP, defaultValue = "false")
  private boolean skipPatch;

  @Override
  protected boolean skipGoal() {
    return skipPatch;
  }

  @Override
  protected ReleaseSettings.Builder settings() throws MojoFailureException {
    return super.settings().rpath(rpath);
  }

  @Override
  protected void run(Release release, PbsConsole console) throws PbsException {
    PatchStep.run(release, console);
  }
}
