package dev.pbstoolchain.core.publish;

import dev.pbstoolchain.core.Triples;
import dev.pbstoolchain.core.matrix.Matrix;
import java.util.List;

/**
 * The release's build jobs for CI systems, one per matrix row, each on its runner: a GitHub Actions
 * {@code strategy.matrix} ({@code {"include": [{"target", "runner", "formats"}...]}}) and a GitLab
 * child pipeline whose build job runs the rows as {@code parallel:matrix} and whose publish job
 * gathers their outputs with pbs:publish. A row's {@code runner:} in matrix.yaml overrides the
 * default label for its triple.
 */
public final class CiMatrix {

  private CiMatrix() {}

  /** GitHub's hosted runner for a triple: native where the app's own build needs it. */
  static String githubRunner(String triple) {
    if (Triples.isDarwin(triple)) {
      return triple.startsWith("x86_64") ? "macos-13" : "macos-14";
    }
    if (Triples.isWindows(triple)) {
      return "windows-2022";
    }
    return triple.startsWith("aarch64") ? "ubuntu-24.04-arm" : "ubuntu-24.04";
  }

  /** GitLab.com's hosted runner tag for a triple. */
  static String gitlabRunner(String triple) {
    if (Triples.isDarwin(triple)) {
      return "saas-macos-medium-m1";
    }
    if (Triples.isWindows(triple)) {
      return "saas-windows-medium-amd64";
    }
    return triple.startsWith("aarch64") ? "saas-linux-small-arm64" : "saas-linux-small-amd64";
  }

  /** The GitHub Actions matrix, as JSON. */
  public static String github(List<Matrix.Target> rows) {
    StringBuilder json = new StringBuilder("{\n  \"include\": [");
    for (int i = 0; i < rows.size(); i++) {
      Matrix.Target row = rows.get(i);
      String runner =
          row.runner().github().isEmpty() ? githubRunner(row.triple()) : row.runner().github();
      json.append(i == 0 ? "\n" : ",\n")
          .append("    {\"target\": ")
          .append(quote(row.pbsTriple()))
          .append(", \"runner\": ")
          .append(quote(runner))
          .append(", \"formats\": ")
          .append(quote(String.join(" ", row.formats())))
          .append('}');
    }
    return json.append("\n  ]\n}\n").toString();
  }

  /** The GitLab child pipeline: build every row in parallel, then publish them together. */
  public static String gitlab(List<Matrix.Target> rows) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("# Written by pbs:ci-matrix from matrix.yaml. Run it as a child pipeline:\n")
        .append(
            "#   trigger: {include: [{artifact: target/pbs-ci/gitlab-matrix.yml, job: PLAN}]}\n")
        .append("stages: [build, publish]\n\n")
        .append("pbs-build:\n")
        .append("  stage: build\n")
        .append("  parallel:\n")
        .append("    matrix:\n");
    for (Matrix.Target row : rows) {
      String runner =
          row.runner().gitlab().isEmpty() ? gitlabRunner(row.triple()) : row.runner().gitlab();
      yaml.append("      - PBS_TARGET: ")
          .append(quote(row.pbsTriple()))
          .append("\n        PBS_RUNNER: ")
          .append(quote(runner))
          .append('\n');
    }
    yaml.append("  tags: [$PBS_RUNNER]\n")
        .append("  script:\n")
        .append("    - mvn -B package -Dpbs.targets=$PBS_TARGET")
        .append(" -Dpbs.distDir=target/pbs-jobs/$PBS_TARGET\n")
        .append("  artifacts:\n")
        .append("    when: always\n")
        .append("    paths: [target/pbs-jobs/]\n\n")
        .append("pbs-publish:\n")
        .append("  stage: publish\n")
        .append("  needs: [pbs-build]\n")
        .append("  script:\n")
        .append("    - mvn -B pbs:publish \"-Dpbs.publish.from=")
        .append(
            String.join(",", rows.stream().map(r -> "target/pbs-jobs/" + r.pbsTriple()).toList()))
        .append("\"\n")
        .append("  artifacts:\n")
        .append("    paths: [target/pbs-release/]\n");
    return yaml.toString();
  }

  /** A JSON (and YAML) double-quoted string. */
  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
