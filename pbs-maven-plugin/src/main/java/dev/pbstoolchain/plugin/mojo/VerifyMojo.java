package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.core.steps.VerifyStep;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Opens every artifact of the build and fails with a precise report if users would be hurt; the
 * report ({@code verify-report.json}) is attached with classifier {@code verify-report}.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class VerifyMojo extends AbstractPbsMojo {

  /** The highest glibc the release may need. */
  @Parameter(property = PropertyNames.MAX_GLIBC, defaultValue = ReleaseSettings.DEFAULT_MAX_GLIBC)
  private String maxGlibc;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.VERIFY_SKIP, defaultValue = "false")
  private boolean skipVerify;

  /**
   * Glibc trees for smoke runs under qemu, one per CPU: {@code pbs.smoke.sysroot.aarch64=DIR} (a
   * project or {@code -D} property). Default: the Debian cross libc, {@code
   * /usr/aarch64-linux-gnu}.
   */
  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  @Override
  protected boolean skipGoal() {
    return skipVerify;
  }

  @Override
  protected ReleaseSettings.Builder settings() throws MojoFailureException {
    ReleaseSettings.Builder settings = super.settings().maxGlibc(maxGlibc);
    Properties properties = new Properties();
    properties.putAll(project.getProperties());
    properties.putAll(session.getUserProperties());
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith(PropertyNames.SMOKE_SYSROOT_PREFIX)) {
        settings.smokeSysroot(
            name.substring(PropertyNames.SMOKE_SYSROOT_PREFIX.length()),
            project.getBasedir().toPath().resolve(properties.getProperty(name)));
      }
    }
    return settings;
  }

  @Override
  protected void run(Release release, PbsConsole console) throws PbsException {
    VerifyStep.run(release, console);
    attach(Artifact.verifyReport(release.verifyReport()));
  }
}
