package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.plugin.pbs.PbsException;
import dev.pbstoolchain.plugin.pbs.Triples;
import dev.pbstoolchain.plugin.pyo3.Pyo3Config;
import java.nio.file.Path;
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
  protected String goal() {
    return "pbs:pyo3-config";
  }

  @Override
  protected void run() throws PbsException {
    for (String triple : resolvedTriples()) {
      Path home = outputDir.toPath().resolve(triple).resolve("python");
      Pyo3Config config = Pyo3Config.from(home, triple);
      Path file = config.write(outputDir.toPath().resolve(triple).resolve("pyo3-config.txt"));
      project.getProperties().setProperty(PropertyNames.pyo3ConfigFile(triple), file.toString());
      getLog().info(triple + ": PYO3_CONFIG_FILE=" + file);
      if (!triple.equals(Triples.host())) {
        getLog().info(triple + ": PYO3_CROSS_PYTHON_VERSION=" + config.version());
      }
    }
  }
}
