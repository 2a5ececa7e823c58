package dev.pbstoolchain.licenses.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.testing.InProcessCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

public class MainTest {

  /** Runs the CLI in-process: exit code, stdout, stderr. */
  public static String[] cli(String... args) {
    InProcessCli.Result result = InProcessCli.run(Main::run, args);
    return new String[] {String.valueOf(result.status()), result.out(), result.err()};
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h"})
  void helpExitsZeroWithUsageAndEveryOption(String flag) {
    String[] result = cli("full.tar.zst", flag);
    assertThat(result[0]).isEqualTo("0");
    assertThat(result[2]).isEmpty();
    assertThat(result[1])
        .startsWith(
            "usage: java -jar license-aggregator-"
                + System.getProperty("project.version", Main.version())
                + "-cli.jar FULL_ARCHIVE OUT_DIR")
        .contains(
            "--upstream-url URL",
            "--sha256 HEX",
            "--install-archive FILE",
            "--sbom FILE",
            "--deny ID,...",
            "--allow ID,...",
            "--exclude MODULE,...",
            "https://github.com/astral-sh/python-build-standalone/releases/download/{date}/{asset}",
            "Exit status: 0 done, 1 licence policy violated, 2 bad input, 3 internal error.");
  }

  @Test
  void versionExitsZeroWithTheProjectVersion() {
    String[] result = cli("--version");
    assertThat(result[0]).isEqualTo("0");
    assertThat(result[1]).matches("license-aggregator \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
  }

  @Test
  void usageErrorsExitTwoInOneMessage() {
    assertThat(cli("--nope", "x"))
        .containsExactly(
            "2", "", "error: unknown option --nope\n" + Main.usage() + "\n(--help for details)\n");
    assertThat(cli("a.tar.zst")[2]).startsWith("error: OUT_DIR is missing\n");
    assertThat(cli("a.tar.zst", "out", "--sbom")[2]).startsWith("error: --sbom needs a value\n");
    assertThat(cli("a\u0000.tar.zst", "out"))
        .containsExactly(
            "2",
            "",
            "error: 'a\\0.tar.zst' is not a valid path on this system (Nul character not allowed)\n");
  }
}
