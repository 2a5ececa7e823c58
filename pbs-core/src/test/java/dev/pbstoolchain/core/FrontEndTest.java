package dev.pbstoolchain.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrontEndTest {

  @Test
  void mavenUsersReadPropertiesAsWritten() {
    String message = "Check pbs.mirror, or pin the hash with -Dpbs.sha256=HEX";
    assertThat(FrontEnd.MAVEN.render(message)).isEqualTo(message);
  }

  @Test
  void commandLineUsersReadTheirFlags() {
    assertThat(
            FrontEnd.CLI.render(
                "Fetch one target with -Dpbs.targets=TRIPLE, or drop pbs.sha256 to verify"))
        .isEqualTo("Fetch one target with --targets TRIPLE, or drop --sha256 to verify");
    assertThat(FrontEnd.CLI.render("the mirror (pbs.mirror) serves it; pbs.licenses.deny."))
        .isEqualTo("the mirror (--mirror) serves it; --licenses-deny.");
    assertThat(FrontEnd.CLI.render("give one with -Dpbs.smoke.sysroot.aarch64=DIR, or"))
        .isEqualTo("give one with --smoke-sysroot aarch64=DIR, or");
    assertThat(FrontEnd.CLI.render("raise -Dpbs.maxGlibc or set -Dpbs.version=3.11.10"))
        .isEqualTo("raise --max-glibc or set --python-version 3.11.10");
  }

  @Test
  void matrixKeysAndOutputPropertiesStayAsTheyAre() {
    // pbs.date is also matrix.yaml's key under pbs:, and pbs.<triple>.home no option at all.
    assertThat(FrontEnd.CLI.render("matrix.yaml: pbs.date is missing; pbs.x86_64-linux.home"))
        .isEqualTo("matrix.yaml: pbs.date is missing; pbs.x86_64-linux.home");
    assertThat(FrontEnd.CLI.render("Give it with -Dpbs.date=..., or date: under pbs:"))
        .isEqualTo("Give it with --date ..., or date: under pbs:");
  }
}
