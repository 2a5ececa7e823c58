package dev.pbstoolchain.packagers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.testing.InProcessCli;
import org.junit.jupiter.api.Test;

/** The packagers CLI answers --help, -h and --version with exit 0, mistakes with usage and 2. */
class MainTest {

  @Test
  void helpAndVersionExitZeroOnStdout() {
    for (String help : new String[] {"--help", "-h"}) {
      InProcessCli.Result result = InProcessCli.run(Main::run, help);
      assertThat(result.status()).as(help).isZero();
      assertThat(result.out())
          .startsWith("usage: java -cp packagers-")
          .contains(" dev.pbstoolchain.packagers.cli.Main FORMAT[,FORMAT...] APP BINARY")
          .contains("--version");
      assertThat(result.err()).isEmpty();
    }
    InProcessCli.Result version = InProcessCli.run(Main::run, "--version");
    assertThat(version.status()).isZero();
    // Filtered from the pom at build time, never the placeholder.
    assertThat(version.out()).matches("packagers \\d+\\.\\d+\\.\\d+\\S*\\R");
  }

  @Test
  void aWrongCommandLineIsAUsageError() {
    InProcessCli.Result result = InProcessCli.run(Main::run, "deb", "app");
    assertThat(result.status()).isEqualTo(2);
    assertThat(result.err()).startsWith("usage: java -cp packagers-");
    assertThat(result.out()).isEmpty();
  }
}
