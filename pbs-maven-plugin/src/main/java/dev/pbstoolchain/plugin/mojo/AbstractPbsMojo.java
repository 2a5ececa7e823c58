package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import java.io.File;
import java.util.Optional;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/**
 * What every {@code pbs:*} goal shares: the options every step reads, mapped onto the core's {@link
 * ReleaseSettings}. A goal adds its own options, makes one call into pbs-core and leaves the
 * translation of its exceptions to {@link #execute()}.
 */
abstract class AbstractPbsMojo extends AbstractMojo {

  /** The project context key that says this project's skip was already logged. */
  private static final String NOTHING_TO_RELEASE = "pbs.nothingToRelease.logged";

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  @Component private MavenProjectHelper helper;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
  private MojoExecution execution;

  /** PBS release tag, e.g. {@code 20241016}. Defaults to {@code pbs.date} of matrix.yaml. */
  @Parameter(property = PropertyNames.DATE)
  private String date;

  /** CPython version, e.g. {@code 3.11.10}. Defaults to {@code pbs.version} of matrix.yaml. */
  @Parameter(property = PropertyNames.VERSION)
  private String version;

  /** Comma-separated target triples. Defaults to the rows of matrix.yaml, else the build host. */
  @Parameter(property = PropertyNames.TARGETS)
  private String targets;

  /**
   * Flavour: {@code install_only_stripped}, {@code install_only}, {@code *-full}...; by default
   * {@code install_only_stripped}, or {@code install_only} for releases that predate it.
   */
  @Parameter(property = PropertyNames.FLAVOR)
  private String flavor;

  /**
   * The release matrix. A project with neither this file nor {@code pbs.date} releases nothing:
   * every goal skips with one info line (the parent and plain modules of a multi-module build that
   * declares the plugin for all of them). Fetch and pyo3-config also work from {@code pbs.date}
   * alone.
   */
  @Parameter(property = PropertyNames.MATRIX, defaultValue = "${project.basedir}/matrix.yaml")
  private File matrix;

  /** Skips every {@code pbs:*} goal. */
  @Parameter(property = PropertyNames.SKIP, defaultValue = "false")
  private boolean skip;

  /** Where pbs:fetch unpacks, one directory per triple. */
  @Parameter(property = PropertyNames.OUTPUT_DIR, defaultValue = "${project.build.directory}/pbs")
  private File outputDir;

  /** Where the patched binaries are staged, one directory per triple. */
  @Parameter(
      property = PropertyNames.STAGE_DIR,
      defaultValue = "${project.build.directory}/pbs-stage")
  private File stageDir;

  /** Where release artifacts go. */
  @Parameter(
      property = PropertyNames.DIST_DIR,
      defaultValue = "${project.build.directory}/pbs-dist")
  private File distDir;

  /** The build timestamp for reproducible artifacts (ISO-8601 or seconds since the epoch). */
  @Parameter(defaultValue = "${project.build.outputTimestamp}")
  private String outputTimestamp;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip || skipGoal()) {
      getLog().info("Skipping " + goal() + " (" + PropertyNames.SKIP + " or its own skip flag)");
      return;
    }
    try {
      // settings() may refuse an option (e.g. a settings.xml server that is not there).
      ReleaseSettings settings = settings().build();
      Optional<String> nothing = Release.nothingToRelease(settings);
      if (nothing.isPresent()) {
        // One info line per project, not one per goal: the rest say it at debug level.
        if (project.getContextValue(NOTHING_TO_RELEASE) == null) {
          project.setContextValue(NOTHING_TO_RELEASE, Boolean.TRUE);
          getLog().info("Skipping " + goal() + " and the other pbs goals: " + nothing.get());
        } else {
          getLog().debug("Skipping " + goal() + ": " + nothing.get());
        }
        return;
      }
      run(Release.load(settings), new MavenConsole(getLog()));
    } catch (PbsException e) {
      if (e.isConfigurationProblem()) {
        throw new MojoFailureException(e.getMessage(), e);
      }
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }

  /** Attaches an output to the project, so install, deploy and maven-gpg-plugin cover it. */
  protected final void attach(Artifact output) {
    helper.attachArtifact(project, output.type(), output.classifier(), output.file().toFile());
  }

  /** The goal's one call into the core. */
  protected abstract void run(Release release, PbsConsole console) throws PbsException;

  /** Whether the goal's own skip flag is set. */
  protected abstract boolean skipGoal();

  /** The goal's name for log lines, e.g. {@code pbs:fetch}: the prefix and the @Mojo's name. */
  private String goal() {
    return execution.getMojoDescriptor().getFullGoalName();
  }

  /** The options every goal shares; a goal with options of its own adds them. */
  protected ReleaseSettings.Builder settings() throws MojoFailureException {
    return ReleaseSettings.builder(FrontEnd.MAVEN, project.getBasedir().toPath())
        .matrixFile(matrix.toPath())
        .projectVersion(project.getVersion())
        .date(date)
        .version(version)
        .targets(targets)
        .flavor(flavor)
        .outputDir(outputDir.toPath())
        .stageDir(stageDir.toPath())
        .distDir(distDir.toPath())
        .outputTimestamp(outputTimestamp);
  }
}
