package dev.pbstoolchain.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against the file names of the real 20241016 release (from the published download table). */
class ReleaseContentsTest {

  static List<String> names;

  @BeforeAll
  static void readRelease() throws IOException {
    names = new ArrayList<>();
    for (JsonNode entry : new ObjectMapper().readTree(AssetResolverTest.METADATA.toFile())) {
      String url = entry.path("url").asText();
      if (entry.path("build").asText().equals("20241016")) {
        names.add(url.substring(url.lastIndexOf('/') + 1).replace("%2B", "+"));
      }
    }
  }

  private static String nearest(String version, String triple, String flavor) {
    return ReleaseContents.of(names).nearest(new ReleaseAsset("20241016", version, triple, flavor));
  }

  @Test
  void aVersionTheReleaseLacksGetsTheVersionsItHasInVersionOrder() {
    assertThat(nearest("3.11.11", "x86_64-unknown-linux-gnu", "install_only_stripped"))
        .isEqualTo(
            "For x86_64-unknown-linux-gnu this release has CPython"
                + " 3.9.20, 3.10.15, 3.11.10, 3.12.7, 3.13.0.");
  }

  @Test
  void aFlavourTheReleaseLacksGetsTheFlavoursOfThatVersion() {
    assertThat(nearest("3.11.10", "x86_64-unknown-linux-gnu", "install_only"))
        .isEqualTo(
            "For CPython 3.11.10 on x86_64-unknown-linux-gnu this release has the flavours"
                + " debug-full, install_only_stripped.");
  }

  @Test
  void aTargetTheReleaseLacksGetsItsTargets() {
    assertThat(nearest("3.11.10", "riscv64-unknown-linux-gnu", "install_only_stripped"))
        .startsWith("This release has no riscv64-unknown-linux-gnu build; its targets: ")
        .contains("aarch64-apple-darwin, aarch64-unknown-linux-gnu, ")
        .contains(", x86_64-unknown-linux-gnu, ")
        .endsWith(".");
  }

  @Test
  void aListWithoutCpythonArchivesSaysNothing() {
    assertThat(
            ReleaseContents.of(List.of("SHA256SUMS", "some-other-asset.tar.gz"))
                .nearest(
                    new ReleaseAsset(
                        "20241016", "3.11.10", "x86_64-unknown-linux-gnu", "install_only")))
        .isEmpty();
  }

  @Test
  void versionOrderIsNumeric() {
    assertThat(
            Stream.of("3.10.2", "3.9.20", "3.13.0rc1", "3.12.10", "3.12.9", "3.13.0")
                .sorted(ReleaseContents.VERSION_ORDER)
                .toList())
        .containsExactly("3.9.20", "3.10.2", "3.12.9", "3.12.10", "3.13.0", "3.13.0rc1");
  }
}
