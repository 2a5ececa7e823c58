package dev.pbstoolchain.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.core.Triples;
import org.junit.jupiter.api.Test;

class FlavorsTest {

  @Test
  void licenceDataComesFromTheMostOptimisedFullBuildOfTheShippedKind() {
    assertThat(Flavors.licenceSource(20241016, "x86_64-unknown-linux-gnu", "install_only_stripped"))
        .contains("pgo+lto-full");
    // A free-threaded release reads the free-threaded build's PYTHON.json, not the GIL build's.
    assertThat(
            Flavors.licenceSource(
                20260814, "x86_64-unknown-linux-gnu", "freethreaded-install_only_stripped"))
        .contains("freethreaded+pgo+lto-full");
    assertThat(Flavors.licenceSource(20241016, "x86_64-pc-windows-msvc", "install_only"))
        .contains("pgo-full");
    assertThat(
            Flavors.licenceSource(20260814, "aarch64-pc-windows-msvc", "freethreaded-install_only"))
        .contains("freethreaded+pgo-full");
    // No PGO on the 32-bit and exotic Linux targets.
    assertThat(Flavors.licenceSource(20241016, "i686-unknown-linux-gnu", "install_only"))
        .contains("lto-full");
  }

  @Test
  void everyChosenSourceIsAFlavourTheReleasePublishes() {
    for (String triple : Triples.KNOWN) {
      for (int date : new int[] {20230116, 20241016, 20260814}) {
        for (String shipped : Flavors.available(date, triple)) {
          if (!Flavors.isFull(shipped)) {
            assertThat(Flavors.licenceSource(date, triple, shipped))
                .hasValueSatisfying(
                    full -> assertThat(Flavors.available(date, triple)).contains(full));
          }
        }
      }
    }
  }
}
