package dev.pbstoolchain.core.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.release.TestTargets;
import dev.pbstoolchain.packagers.layout.Layout;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReleasePackagerTest {

  private static List<String> requires(String triple) throws PbsException {
    var target = TestTargets.target(triple);
    return ReleasePackager.info(
            target,
            TestTargets.APP,
            ReleasePackager.relations(target, new Layout(), Set.of("libbz2.so.1.0")))
        .requires();
  }

  @Test
  void rpmRequiresCarryThe64BitMarkOnEvery64BitCpuOnly() throws Exception {
    // rpm's automatic Provides of a 64-bit library end in ()(64bit); a requirement without the
    // mark would not be met on ppc64le, s390x or riscv64, one with it not on i686 or armv7.
    for (String triple :
        List.of(
            "x86_64-unknown-linux-gnu",
            "aarch64-unknown-linux-gnu",
            "ppc64le-unknown-linux-gnu",
            "s390x-unknown-linux-gnu",
            "riscv64-unknown-linux-gnu")) {
      assertThat(requires(triple)).as(triple).containsExactly("libbz2.so.1.0()(64bit)");
    }
    for (String triple : List.of("i686-unknown-linux-gnu", "armv7-unknown-linux-gnueabihf")) {
      assertThat(requires(triple)).as(triple).containsExactly("libbz2.so.1.0");
    }
  }
}
