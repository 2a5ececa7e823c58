package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.core.steps.FetchStep;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Resolves, downloads, verifies, caches and unpacks python-build-standalone for every target, and
 * sets {@code pbs.<triple>.home} to each unpacked Python home.
 */
@Mojo(name = "fetch", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class FetchMojo extends AbstractFetchingMojo {

  /** A pinned SHA-256 for a single target, checked instead of the release's SHA256SUMS. */
  @Parameter(property = PropertyNames.SHA256)
  private String sha256;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.FETCH_SKIP, defaultValue = "false")
  private boolean skipFetch;

  @Override
  protected boolean skipGoal() {
    return skipFetch;
  }

  @Override
  protected ReleaseSettings.Builder settings() throws MojoFailureException {
    return super.settings().pinnedSha256(sha256);
  }

  @Override
  protected void run(Release release, PbsConsole console) throws PbsException {
    FetchStep.run(release, console)
        .forEach(
            (triple, home) -> {
              project.getProperties().setProperty(PropertyNames.home(triple), home.toString());
              console.info(PropertyNames.home(triple) + " = " + home);
            });
  }
}
