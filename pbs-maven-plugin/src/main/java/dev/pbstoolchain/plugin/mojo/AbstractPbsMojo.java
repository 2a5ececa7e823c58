package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.plugin.matrix.Matrix;
import dev.pbstoolchain.plugin.matrix.MatrixReader;
import dev.pbstoolchain.plugin.pbs.PbsException;
import dev.pbstoolchain.plugin.pbs.Triples;
import java.io.File;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What every {@code pbs:*} goal shares: the release coordinates, the target list and the matrix
 * they default from, and the skip switches. Subclasses only translate parameters into a library
 * call.
 */
abstract class AbstractPbsMojo extends AbstractMojo {

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  /** PBS release tag, e.g. {@code 20241016}. Defaults to {@code pbs.date} of matrix.yaml. */
  @Parameter(property = PropertyNames.DATE)
  protected String date;

  /** CPython version, e.g. {@code 3.11.10}. Defaults to {@code pbs.version} of matrix.yaml. */
  @Parameter(property = PropertyNames.VERSION)
  protected String version;

  /** Comma-separated target triples. Defaults to the rows of matrix.yaml, else the build host. */
  @Parameter(property = PropertyNames.TARGETS)
  protected String targets;

  /** The release matrix. Used for defaults when it exists. */
  @Parameter(property = PropertyNames.MATRIX, defaultValue = "${project.basedir}/matrix.yaml")
  protected File matrix;

  /** Skips every {@code pbs:*} goal. */
  @Parameter(property = PropertyNames.SKIP, defaultValue = "false")
  protected boolean skip;

  /** Where pbs:fetch unpacks, one directory per triple. */
  @Parameter(property = "pbs.outputDir", defaultValue = "${project.build.directory}/pbs")
  protected File outputDir;

  /** Where the patched binaries are staged, one directory per triple. */
  @Parameter(property = "pbs.stageDir", defaultValue = "${project.build.directory}/pbs-stage")
  protected File stageDir;

  /** Where release artifacts go. */
  @Parameter(property = "pbs.distDir", defaultValue = "${project.build.directory}/pbs-dist")
  protected File distDir;

  /** The build timestamp for reproducible artifacts (ISO-8601 or seconds since the epoch). */
  @Parameter(defaultValue = "${project.build.outputTimestamp}")
  protected String outputTimestamp;

  private Optional<Matrix> loadedMatrix;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip || skipGoal()) {
      getLog().info("Skipping " + goal() + " (" + PropertyNames.SKIP + " or its own skip flag)");
      return;
    }
    try {
      run();
    } catch (PbsException e) {
      if (e.isConfigurationProblem()) {
        throw new MojoFailureException(e.getMessage(), e);
      }
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }

  /** The goal's work. */
  protected abstract void run() throws PbsException, MojoExecutionException;

  /** Whether the goal's own skip flag is set. */
  protected abstract boolean skipGoal();

  /** The goal's name for log lines. */
  protected abstract String goal();

  /** The matrix, when the file exists. */
  protected Optional<Matrix> matrix() throws PbsException {
    if (loadedMatrix == null) {
      loadedMatrix =
          matrix != null && matrix.isFile()
              ? Optional.of(MatrixReader.read(matrix.toPath()))
              : Optional.empty();
    }
    return loadedMatrix;
  }

  protected String resolvedDate() throws PbsException {
    if (date != null && !date.isBlank()) {
      return date.trim();
    }
    return matrix()
        .map(Matrix::date)
        .orElseThrow(() -> missing(PropertyNames.DATE, "the PBS release tag, e.g. 20241016"));
  }

  protected String resolvedVersion() throws PbsException {
    if (version != null && !version.isBlank()) {
      return version.trim();
    }
    return matrix()
        .map(Matrix::version)
        .orElseThrow(() -> missing(PropertyNames.VERSION, "the CPython version, e.g. 3.11.10"));
  }

  protected List<String> resolvedTriples() throws PbsException {
    if (targets != null && !targets.isBlank()) {
      return Arrays.stream(targets.split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .distinct()
          .toList();
    }
    Optional<Matrix> rows = matrix();
    if (rows.isPresent()) {
      // The PBS builds to fetch: a row's pbsTriple when its app triple differs.
      return rows.get().targets().stream().map(Matrix.Target::pbsTriple).distinct().toList();
    }
    return List.of(Triples.host());
  }

  /** The targets to work on, as matrix rows resolved to files. */
  protected List<dev.pbstoolchain.plugin.release.ReleaseTarget> releaseTargets()
      throws PbsException {
    Matrix rows =
        matrix()
            .orElseThrow(
                () ->
                    PbsException.configuration(
                        matrix + " does not exist: " + goal() + " needs the release matrix"));
    List<dev.pbstoolchain.plugin.release.ReleaseTarget> list = new java.util.ArrayList<>();
    for (String triple : resolvedTriples()) {
      Matrix.Target row =
          rows.targetFor(triple)
              .orElseThrow(
                  () ->
                      PbsException.configuration(
                          triple + " (pbs.targets) has no row in " + matrix + "; add one"));
      list.add(
          new dev.pbstoolchain.plugin.release.ReleaseTarget(
              row.pbsTriple(),
              project.getBasedir().toPath().resolve(row.binary()),
              outputDir.toPath().resolve(row.pbsTriple()).resolve("python"),
              row.formats(),
              row.rpath(),
              dev.pbstoolchain.plugin.release.PackageExtras.from(
                  row.packaging(), project.getBasedir().toPath())));
    }
    return list;
  }

  /** The artifacts' file names: matrix.yaml's {@code names:} over the usual ones. */
  protected dev.pbstoolchain.plugin.release.ArtifactNames artifactNames() throws PbsException {
    return new dev.pbstoolchain.plugin.release.ArtifactNames(
        matrix().map(Matrix::names).orElse(java.util.Map.of()));
  }

  /** The app's metadata from matrix.yaml and the POM. */
  protected dev.pbstoolchain.plugin.release.AppInfo appInfo() throws PbsException {
    Matrix.App app =
        matrix().orElseThrow(() -> PbsException.configuration(matrix + " does not exist")).app();
    return new dev.pbstoolchain.plugin.release.AppInfo(
        app.name(),
        app.version().isBlank() ? project.getVersion() : app.version(),
        app.description().isBlank() ? app.name() : app.description(),
        app.maintainer().isBlank() ? "unknown <unknown@example.com>" : app.maintainer(),
        app.homepage(),
        app.license(),
        epochSeconds());
  }

  /** project.build.outputTimestamp, else SOURCE_DATE_EPOCH, else 1980-01-01: never "now". */
  protected long epochSeconds() throws PbsException {
    String value = outputTimestamp;
    if (value == null || value.isBlank() || value.length() < 2) {
      value = sourceDateEpoch();
    }
    if (value == null || value.isBlank()) {
      return 315532800L;
    }
    try {
      return value.matches("\\d+")
          ? Long.parseLong(value)
          : java.time.OffsetDateTime.parse(value).toEpochSecond();
    } catch (RuntimeException e) {
      throw PbsException.configuration(
          "project.build.outputTimestamp '"
              + value
              + "' is neither seconds since 1970 nor ISO-8601 like 2026-11-24T00:00:00Z");
    }
  }

  /**
   * The times a reproducible build fixes on purpose: {@link #epochSeconds()}, and SOURCE_DATE_EPOCH
   * when it is set apart from it (native tools such as GNU ld read it).
   */
  protected Set<Long> fixedTimes() throws PbsException {
    Set<Long> times = new HashSet<>(Set.of(epochSeconds()));
    String sourceDateEpoch = sourceDateEpoch();
    if (sourceDateEpoch != null && sourceDateEpoch.matches("\\d{1,18}")) {
      times.add(Long.parseLong(sourceDateEpoch));
    }
    return times;
  }

  private static String sourceDateEpoch() {
    return System.getenv("SOURCE_DATE_EPOCH");
  }

  private PbsException missing(String property, String what) {
    return PbsException.configuration(
        "Set "
            + property
            + " ("
            + what
            + ") in the plugin configuration or with -D"
            + property
            + "=..., or add it to "
            + matrix);
  }
}
