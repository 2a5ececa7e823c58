package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.steps.CiMatrixStep;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes the release's build jobs for CI, one per matrix.yaml row on its runner (a row's {@code
 * runner:} overrides the default for its triple): {@code target/pbs-ci/github-matrix.json} for a
 * GitHub Actions {@code strategy.matrix} and {@code target/pbs-ci/gitlab-matrix.yml}, a GitLab
 * child pipeline that builds the rows in parallel and publishes them with pbs:publish.
 */
@Mojo(name = "ci-matrix", threadSafe = true)
public class CiMatrixMojo extends AbstractPbsMojo {

  /** Skips this goal. */
  @Parameter(property = PropertyNames.CI_MATRIX_SKIP, defaultValue = "false")
  private boolean skipCiMatrix;

  @Override
  protected boolean skipGoal() {
    return skipCiMatrix;
  }

  @Override
  protected void run(Release release, PbsConsole console) throws PbsException {
    CiMatrixStep.run(release, console);
  }
}
