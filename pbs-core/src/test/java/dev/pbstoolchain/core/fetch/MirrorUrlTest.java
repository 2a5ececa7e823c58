package dev.pbstoolchain.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.core.PbsException;
import org.junit.jupiter.api.Test;

/** pbs.mirror as Maven hands it over: interpolated paths, bare directories, real URLs. */
class MirrorUrlTest {

  @Test
  void aFileUrlWithAnUnencodedPathBecomesTheUrlItMeans() {
    // What file://${project.basedir}/mirror gives in a project at "/srv/ci/my app".
    assertThat(MirrorUrl.normalize("file:///srv/ci/my app/mirror"))
        .isEqualTo("file:///srv/ci/my%20app/mirror");
    assertThat(MirrorUrl.normalize("file:/srv/ci/my app/100%/mirror"))
        .isEqualTo("file:///srv/ci/my%20app/100%25/mirror");
    assertThat(MirrorUrl.normalize("file://localhost/srv/my app"))
        .isEqualTo("file:///srv/my%20app");
  }

  @Test
  void urlsThatParseAreKeptAsWritten() {
    assertThat(MirrorUrl.normalize("file:///srv/my%20app/mirror"))
        .isEqualTo("file:///srv/my%20app/mirror");
    assertThat(MirrorUrl.normalize(" https://artifacts.example/pbs/ "))
        .isEqualTo("https://artifacts.example/pbs/");
  }

  @Test
  void aDirectoryPathBecomesItsFileUrl() {
    assertThat(MirrorUrl.normalize("/srv/pbs mirror")).isEqualTo("file:///srv/pbs%20mirror");
  }

  @Test
  void nothingSetIsNull() {
    assertThat(MirrorUrl.normalize(null)).isNull();
    assertThat(MirrorUrl.normalize("  ")).isNull();
  }

  @Test
  void whatCannotBeMadeAUrlIsReportedWhenResolving() {
    String broken = MirrorUrl.normalize("https://artifacts.example/my pbs");
    assertThatThrownBy(
            () ->
                new AssetResolver(broken)
                    .resolve("20241016", "3.11.10", "x86_64-unknown-linux-gnu", null))
        .isInstanceOf(PbsException.class)
        .hasMessageContaining("pbs.mirror 'https://artifacts.example/my pbs' does not make a URL")
        .hasMessageContaining("%20 for a space");
    assertThat(MirrorUrl.normalize("pbs-mirror")).isEqualTo("pbs-mirror");
  }
}
