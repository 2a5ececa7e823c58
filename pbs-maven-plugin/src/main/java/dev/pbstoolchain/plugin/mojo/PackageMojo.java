package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.core.steps.PackageStep;
import java.io.File;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes the formats each matrix row asks for and attaches them to the project with a platform
 * classifier (e.g. {@code linux_amd64}), and {@code SHA256SUMS} with classifier {@code sha256sums}
 * (type {@code txt}), so install, deploy and maven-gpg-plugin publish and sign them. With {@code
 * pbs.signing.keyFile} (or {@code pbs.signing.gpgKey}) the debs and rpms are signed and
 * SHA256SUMS.asc is written; each target gets a build manifest for pbs:publish.
 */
@Mojo(name = "package", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class PackageMojo extends AbstractSigningMojo {

  /** Debian copyright file shipped in the deb/rpm ({@code /usr/share/doc/APP/copyright}). */
  @Parameter(property = PropertyNames.COPYRIGHT, defaultValue = "${project.basedir}/copyright")
  private File copyright;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.PACKAGE_SKIP, defaultValue = "false")
  private boolean skipPackage;

  @Override
  protected boolean skipGoal() {
    return skipPackage;
  }

  @Override
  protected ReleaseSettings.Builder settings() throws MojoFailureException {
    return super.settings().copyright(copyright.toPath());
  }

  @Override
  protected void run(Release release, PbsConsole console) throws PbsException {
    PackageStep.Result result = PackageStep.run(release, console);
    result.artifacts().forEach(this::attach);
    attach(Artifact.sums(result.sums()));
  }
}
