package dev.pbstoolchain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The front end: exit codes, help, and core messages in the command line's own spelling. */
class MainTest {

  @TempDir Path project;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpAndVersionAnswerOnStandardOutput() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("usage: java -jar pbs-cli-")
        .contains("  release       patch + licenses + package + image + verify")
        .contains("--mirror URL|DIR         PBS mirror instead of GitHub [pbs.mirror]");
    out.reset();
    assertThat(run("-h")).isZero();
    out.reset();
    assertThat(run("--version")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).matches("pbs-cli \\d+\\.\\d+\\.\\d+\\S*\\n");
  }

  @Test
  void aWrongCommandLineExitsTwoWithTheUsage() {
    assertThat(run("relase")).isEqualTo(2);
    assertThat(err()).startsWith("error: Unknown command relase\nusage: ");
    err.reset();
    assertThat(run("fetch", "--mirorr", "x")).isEqualTo(2);
    assertThat(err()).startsWith("error: Unknown option --mirorr\n");
    err.reset();
    assertThat(run("fetch", "--date")).isEqualTo(2);
    assertThat(err()).startsWith("error: --date needs a value\n");
    err.reset();
    assertThat(run()).isEqualTo(2);
    assertThat(err()).startsWith("pbs-cli: no command given\n");
  }

  @Test
  void coreMessagesNameFlagsNotMavenProperties() throws Exception {
    assertThat(run("fetch", "--project", project.toString())).isEqualTo(2);
    assertThat(err())
        .contains(
            "error: Give the PBS release tag, e.g. 20241016: --date ..., or date: under pbs: in "
                + project.resolve("matrix.yaml"));
    err.reset();
    Files.writeString(
        project.resolve("matrix.yaml"),
        "pbs: {date: '20241016', version: 3.11.10}\napp: {name: a}\ntargets:\n"
            + "  - {triple: x86_64-unknown-linux-gnu, binary: a, formats: [tar.gz]}\n");
    assertThat(run("patch", "--project", project.toString(), "--targets=aarch64-apple-darwin"))
        .isEqualTo(2);
    assertThat(err())
        .contains(
            "error: --targets aarch64-apple-darwin: aarch64-apple-darwin has no row in "
                + project.resolve("matrix.yaml")
                + ", whose rows are x86_64-unknown-linux-gnu (line 4). Add a row, or choose among"
                + " them.")
        .doesNotContain("pbs.targets");
  }
}
