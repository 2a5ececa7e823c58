package dev.pbstoolchain.core.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.TestMatrix;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pbs:ci-matrix: the files parsed as GitHub Actions and GitLab read them (JSON, YAML), one job per
 * row on its runner, a row's {@code runner:} winning over the default for its triple.
 */
class CiMatrixStepTest {

  private static final String MATRIX =
      TestMatrix.linuxApp("tar.gz, deb, rpm")
          + "  - triple: aarch64-unknown-linux-gnu\n"
          + "    binary: out/arm/app\n"
          + "    formats: [deb]\n"
          + "    runner: {github: self-hosted-arm64}\n"
          + "  - triple: aarch64-apple-darwin\n"
          + "    binary: out/mac/app\n"
          + "    formats: [tar.gz]\n"
          + "    runner: {gitlab: my-mac}\n"
          + "  - triple: x86_64-pc-windows-gnu\n"
          + "    pbsTriple: x86_64-pc-windows-msvc\n"
          + "    binary: out/app.exe\n"
          + "    formats: [zip]\n";

  private static final PbsConsole QUIET = PbsConsole.silent();

  @TempDir Path project;

  private CiMatrixStep.Result run(String matrix, String targets) throws Exception {
    Files.writeString(project.resolve("matrix.yaml"), matrix);
    return CiMatrixStep.run(
        Release.load(
            ReleaseSettings.builder(FrontEnd.MAVEN, project)
                .projectVersion("1.0.0")
                .sourceDateEpoch("")
                .targets(targets)
                .build()),
        QUIET);
  }

  @Test
  void oneJobPerRowOnItsRunner() throws Exception {
    CiMatrixStep.Result result = run(MATRIX, null);
    assertThat(result.github()).isEqualTo(project.resolve("target/pbs-ci/github-matrix.json"));
    assertThat(result.gitlab()).isEqualTo(project.resolve("target/pbs-ci/gitlab-matrix.yml"));

    JsonNode include = new ObjectMapper().readTree(result.github().toFile()).get("include");
    assertThat(include).hasSize(4);
    assertThat(include.get(0).get("target").asText()).isEqualTo("x86_64-unknown-linux-gnu");
    assertThat(include.get(0).get("runner").asText()).isEqualTo("ubuntu-24.04");
    assertThat(include.get(0).get("formats").asText()).isEqualTo("tar.gz deb rpm");
    assertThat(include.get(1).get("runner").asText()).isEqualTo("self-hosted-arm64");
    assertThat(include.get(2).get("runner").asText()).isEqualTo("macos-14");
    // pbs.targets takes PBS triples: the windows-gnu row's job builds x86_64-pc-windows-msvc.
    assertThat(include.get(3).get("target").asText()).isEqualTo("x86_64-pc-windows-msvc");
    assertThat(include.get(3).get("runner").asText()).isEqualTo("windows-2022");

    JsonNode gitlab = new YAMLMapper().readTree(result.gitlab().toFile());
    JsonNode jobs = gitlab.get("pbs-build").get("parallel").get("matrix");
    assertThat(jobs).hasSize(4);
    assertThat(jobs.get(1).get("PBS_TARGET").asText()).isEqualTo("aarch64-unknown-linux-gnu");
    assertThat(jobs.get(1).get("PBS_RUNNER").asText()).isEqualTo("saas-linux-small-arm64");
    assertThat(jobs.get(2).get("PBS_RUNNER").asText()).isEqualTo("my-mac");
    assertThat(gitlab.get("pbs-build").get("tags").get(0).asText()).isEqualTo("$PBS_RUNNER");
    assertThat(gitlab.get("pbs-build").get("script").get(0).asText())
        .isEqualTo(
            "mvn -B package -Dpbs.targets=$PBS_TARGET -Dpbs.distDir=target/pbs-jobs/$PBS_TARGET");
    assertThat(gitlab.get("pbs-publish").get("script").get(0).asText())
        .isEqualTo(
            "mvn -B pbs:publish \"-Dpbs.publish.from=target/pbs-jobs/x86_64-unknown-linux-gnu,"
                + "target/pbs-jobs/aarch64-unknown-linux-gnu,target/pbs-jobs/aarch64-apple-darwin,"
                + "target/pbs-jobs/x86_64-pc-windows-msvc\"");
  }

  /** The example's matrix.yaml as it ships: four rows, no runner: keys, the default runners. */
  @Test
  void theExamplesMatrix() throws Exception {
    Path example = Path.of("..", "examples", "embedded-app", "matrix.yaml");
    CiMatrixStep.Result result = run(Files.readString(example), null);
    JsonNode include = new ObjectMapper().readTree(result.github().toFile()).get("include");
    assertThat(include).hasSize(4);
    String[][] expected = {
      {"x86_64-unknown-linux-gnu", "ubuntu-24.04", "tar.gz deb rpm", "saas-linux-small-amd64"},
      {"aarch64-unknown-linux-gnu", "ubuntu-24.04-arm", "tar.gz deb rpm", "saas-linux-small-arm64"},
      {"aarch64-apple-darwin", "macos-14", "tar.gz", "saas-macos-medium-m1"},
      {"x86_64-pc-windows-msvc", "windows-2022", "zip", "saas-windows-medium-amd64"}
    };
    JsonNode gitlab = new YAMLMapper().readTree(result.gitlab().toFile());
    JsonNode jobs = gitlab.get("pbs-build").get("parallel").get("matrix");
    assertThat(jobs).hasSize(4);
    for (int i = 0; i < expected.length; i++) {
      assertThat(include.get(i).get("target").asText()).isEqualTo(expected[i][0]);
      assertThat(include.get(i).get("runner").asText()).isEqualTo(expected[i][1]);
      assertThat(include.get(i).get("formats").asText()).isEqualTo(expected[i][2]);
      assertThat(jobs.get(i).get("PBS_TARGET").asText()).isEqualTo(expected[i][0]);
      assertThat(jobs.get(i).get("PBS_RUNNER").asText()).isEqualTo(expected[i][3]);
    }
  }

  @Test
  void pbsTargetsNarrowsTheJobs() throws Exception {
    CiMatrixStep.Result result = run(MATRIX, "aarch64-unknown-linux-gnu");
    JsonNode include = new ObjectMapper().readTree(result.github().toFile()).get("include");
    assertThat(include).hasSize(1);
    assertThat(include.get(0).get("target").asText()).isEqualTo("aarch64-unknown-linux-gnu");
  }

  @Test
  void anUnknownRunnerKeyIsRefusedByTheStrictReader() {
    assertThatThrownBy(() -> run(MATRIX.replace("{github: self", "{githb: self"), null))
        .isInstanceOf(PbsException.class)
        .hasMessageContaining("githb");
    assertThat(project.resolve("target/pbs-ci")).doesNotExist();
  }
}
