package dev.pbstoolchain.plugin.mojo;

import dev.pbstoolchain.plugin.matrix.Matrix;
import dev.pbstoolchain.plugin.matrix.MatrixReader;
import dev.pbstoolchain.plugin.pbs.PbsException;
import dev.pbstoolchain.plugin.pbs.Triples;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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
      return rows.get().triples();
    }
    return List.of(Triples.host());
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
