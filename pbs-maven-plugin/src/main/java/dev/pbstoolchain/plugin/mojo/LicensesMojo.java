package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.core.steps.LicenceStep;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Fetches each target's full archive (verified and cached like pbs:fetch, never unpacked), and
 * writes {@code LICENSE.md}, {@code PYTHON.json} and {@code licenses/} into the shipped {@code
 * python/}, plus a CycloneDX SBOM beside the artifacts, attached with classifier {@code
 * <platform>-cyclonedx} (type {@code json}); applies the licence policy.
 */
@Mojo(name = "licenses", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class LicensesMojo extends AbstractFetchingMojo {

  /** The full flavour to read licence data from; default: the best one the release has. */
  @Parameter(property = PropertyNames.LICENSES_FLAVOR)
  private String fullFlavor;

  /** Comma-separated SPDX ids that must not ship (e.g. {@code GPL-3.0-only}). */
  @Parameter(property = PropertyNames.LICENSES_DENY)
  private String deny;

  /** Comma-separated SPDX ids that alone may ship. */
  @Parameter(property = PropertyNames.LICENSES_ALLOW)
  private String allow;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.LICENSES_SKIP, defaultValue = "false")
  private boolean skipLicenses;

  @Override
  protected boolean skipGoal() {
    return skipLicenses;
  }

  @Override
  protected ReleaseSettings.Builder settings() throws MojoFailureException {
    return super.settings().licencesFlavor(fullFlavor).deny(deny).allow(allow);
  }

  @Override
  protected void run(Release release, PbsConsole console) throws PbsException {
    LicenceStep.run(release, console).forEach(this::attach);
  }
}
