package dev.pbstoolchain.packagers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The packagers CLI answers --help, -h and --version with exit 0, mistakes with usage and 2. */
class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpAndVersionExitZeroOnStdout() {
    for (String help : new String[] {"--help", "-h"}) {
      assertThat(run(help)).as(help).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .startsWith("usage: java -cp packagers-")
          .contains(" dev.pbstoolchain.packagers.cli.Main FORMAT[,FORMAT...] APP BINARY")
          .contains("--version");
      assertThat(err.size()).isZero();
    }
    assertThat(run("--version")).isZero();
    // Filtered from the pom at build time, never the placeholder.
    assertThat(out.toString(StandardCharsets.UTF_8)).matches("packagers \\d+\\.\\d+\\.\\d+\\S*\\R");
  }

  @Test
  void aWrongCommandLineIsAUsageError() {
    assertThat(run("deb", "app")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: java -cp packagers-");
    assertThat(out.size()).isZero();
  }
}
