package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.steps.Pyo3Step;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes one PyO3 build configuration per target ({@code target/pbs/<triple>/pyo3-config.txt}),
 * sets {@code pbs.<triple>.pyo3ConfigFile} and logs the environment to give {@code cargo build}.
 */
@Mojo(name = "pyo3-config", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class Pyo3ConfigMojo extends AbstractPbsMojo {

  /** Skips this goal. */
  @Parameter(property = PropertyNames.PYO3_CONFIG_SKIP, defaultValue = "false")
  private boolean skipPyo3;

  @Override
  protected boolean skipGoal() {
    return skipPyo3;
  }

  @Override
  protected void run(Release release, PbsConsole console) throws PbsException {
    Pyo3Step.run(release, console)
        .forEach(
            (triple, file) ->
                project
                    .getProperties()
                    .setProperty(PropertyNames.pyo3ConfigFile(triple), file.toString()));
  }
}
