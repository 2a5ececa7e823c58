package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.plugin.pbs.PbsException;
import dev.pbstoolchain.plugin.release.AppInfo;
import dev.pbstoolchain.plugin.release.Artifact;
import dev.pbstoolchain.plugin.release.ReleasePackager;
import dev.pbstoolchain.plugin.release.ReleaseTarget;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Writes the formats each matrix row asks for and attaches them to the project with a platform
 * classifier (e.g. {@code linux_amd64}), so install/deploy publish and sign them.
 */
@Mojo(name = "package", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class PackageMojo extends AbstractPbsMojo {

  @Component private MavenProjectHelper helper;

  /** Debian copyright file shipped in the deb/rpm ({@code /usr/share/doc/APP/copyright}). */
  @Parameter(property = "pbs.copyright", defaultValue = "${project.basedir}/copyright")
  private File copyright;

  /** Skips this goal. */
  @Parameter(property = PropertyNames.PACKAGE_SKIP, defaultValue = "false")
  private boolean skipPackage;

  @Override
  protected boolean skipGoal() {
    return skipPackage;
  }

  @Override
  protected String goal() {
    return "pbs:package";
  }

  @Override
  protected void run() throws PbsException {
    AppInfo app = appInfo();
    ReleasePackager packager = new ReleasePackager(new MavenConsole(getLog()), artifactNames());
    List<Artifact> all = new ArrayList<>();
    for (ReleaseTarget target : releaseTargets()) {
      Path staged =
          stageDir.toPath().resolve(target.triple()).resolve(target.binary().getFileName());
      if (!Files.isRegularFile(staged)) {
        throw PbsException.configuration(
            staged + " is missing: run pbs:patch before pbs:package (bind both to package)");
      }
      if (!Files.isDirectory(target.home())) {
        throw PbsException.configuration(
            target.home() + " is missing: run pbs:fetch for " + target.triple() + " first");
      }
      Path copyrightFile = copyright != null && copyright.isFile() ? copyright.toPath() : null;
      for (Artifact artifact :
          packager.packageTarget(target, staged, app, copyrightFile, distDir.toPath())) {
        for (Artifact earlier : all) {
          if (earlier.file().equals(artifact.file())) {
            throw PbsException.configuration(
                "Two targets write "
                    + artifact.file().getFileName()
                    + " ("
                    + earlier.triple()
                    + " and "
                    + artifact.triple()
                    + "): give names."
                    + artifact.type()
                    + " in "
                    + matrix
                    + " a {platform} or {arch}");
          }
        }
        helper.attachArtifact(
            project, artifact.type(), artifact.classifier(), artifact.file().toFile());
        all.add(artifact);
      }
    }
    Path sums = ReleasePackager.writeDigests(distDir.toPath(), all);
    getLog().info("Wrote " + all.size() + " artifacts and " + sums);
  }
}
