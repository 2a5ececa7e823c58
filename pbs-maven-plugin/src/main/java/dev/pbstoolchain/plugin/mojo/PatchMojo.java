package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.plugin.pbs.PbsException;
import dev.pbstoolchain.plugin.release.BinaryPatch;
import dev.pbstoolchain.plugin.release.ReleaseTarget;
import java.nio.file.Path;
import java.util.Set;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Stages each target's binary patched to find the bundled Python (RUNPATH on Linux). */
@Mojo(name = "patch", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class PatchMojo extends AbstractPbsMojo {

  /** The RUNPATH to set; default {@code $ORIGIN/python/lib:$ORIGIN/../lib/APP/python/lib}. */
  @Parameter(property = "pbs.rpath")
  private String rpath;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.PATCH_SKIP, defaultValue = "false")
  private boolean skipPatch;

  @Override
  protected boolean skipGoal() {
    return skipPatch;
  }

  @Override
  protected String goal() {
    return "pbs:patch";
  }

  @Override
  protected void run() throws PbsException {
    String app = appInfo().name();
    String runpath = rpath == null || rpath.isBlank() ? BinaryPatch.defaultRunpath(app) : rpath;
    Set<Long> fixedTimes = fixedTimes();
    for (ReleaseTarget target : releaseTargets()) {
      String chosen = target.rpath().isBlank() ? runpath : target.rpath();
      Path staged = BinaryPatch.apply(target, chosen, stageDir.toPath().resolve(target.triple()));
      if (target.isWindows()) {
        BinaryPatch.linkTimeWarning(target.binary(), fixedTimes)
            .ifPresent(warning -> getLog().warn(target.triple() + ": " + warning));
      }
      getLog()
          .info(
              target.triple()
                  + ": staged "
                  + staged
                  + (target.isLinux() ? " with RUNPATH " + chosen : ""));
    }
  }
}
