package dev.pbstoolchain.binarypatcher.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.binarypatcher.cli.Main;
import dev.pbstoolchain.testing.InProcessCli;

/**
 * binary-patcher's own command line ({@link Main#run}) run in this JVM through test-support's
 * {@link InProcessCli}, in the three forms the tests compare with patchelf, install_name_tool and
 * friends.
 */
public final class OurCli {

  private OurCli() {}

  /** Exit status, stdout and stderr of one run. */
  public static InProcessCli.Result run(String... args) {
    return InProcessCli.run(Main::run, args);
  }

  /** "exit 0" when the command succeeded, else "exit N: " followed by what it wrote on stderr. */
  public static String cli(String... args) {
    InProcessCli.Result result = run(args);
    return "exit " + result.status() + (result.status() == 0 ? "" : ": " + result.err());
  }

  /** What the command wrote on stdout; the test fails when it exits non-zero. */
  public static String cliOut(String... args) {
    InProcessCli.Result result = run(args);
    assertThat(result.status()).as(String.join(" ", args) + ": " + result.err()).isZero();
    return result.out();
  }
}
