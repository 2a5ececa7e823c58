package dev.pbstoolchain.core.steps;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.io.AtomicFiles;
import dev.pbstoolchain.core.matrix.Matrix;
import dev.pbstoolchain.core.publish.CiMatrix;
import dev.pbstoolchain.core.release.Release;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * pbs:ci-matrix: the release's build jobs for CI, one per matrix row ({@code pbs.targets} narrows
 * them), as {@code target/pbs-ci/github-matrix.json} and {@code target/pbs-ci/gitlab-matrix.yml}.
 */
public final class CiMatrixStep {

  /** The two files written. */
  public record Result(Path github, Path gitlab) {}

  private CiMatrixStep() {}

  public static Result run(Release release, PbsConsole console) throws PbsException {
    Matrix matrix = release.requireMatrix("pbs:ci-matrix");
    List<String> wanted = release.settings().targets();
    List<Matrix.Target> rows =
        matrix.targets().stream()
            .filter(r -> wanted.isEmpty() || wanted.contains(r.pbsTriple()))
            .toList();
    Path dir = release.settings().distDir().resolveSibling("pbs-ci");
    Path github = dir.resolve("github-matrix.json");
    Path gitlab = dir.resolve("gitlab-matrix.yml");
    try {
      Files.createDirectories(dir);
      AtomicFiles.writeString(github, CiMatrix.github(rows));
      AtomicFiles.writeString(gitlab, CiMatrix.gitlab(rows));
    } catch (IOException e) {
      throw PbsException.failure("Cannot write " + dir + ": " + e.getMessage(), e);
    }
    console.info("Wrote " + github + " and " + gitlab + " (" + rows.size() + " build jobs)");
    return new Result(github, gitlab);
  }
}
