package dev.pbstoolchain.core.release;

import static dev.pbstoolchain.core.release.TestTargets.APP;
import static dev.pbstoolchain.core.release.TestTargets.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.matrix.MatrixReader;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ArtifactNamesTest {

  @Test
  void theUsualNamesPerFormatAndArchitecture() throws PbsException {
    ArtifactNames names = new ArtifactNames(Map.of());
    ReleaseTarget x86 = target("x86_64-unknown-linux-gnu");
    ReleaseTarget arm = target("aarch64-unknown-linux-gnu");
    assertThat(names.of("tar.gz", x86, APP)).isEqualTo("embedded-app-1.2.0_linux_amd64.tar.gz");
    assertThat(names.of("deb", x86, APP)).isEqualTo("embedded-app_1.2.0-1_amd64.deb");
    assertThat(names.of("rpm", x86, APP)).isEqualTo("embedded-app-1.2.0-1.x86_64.rpm");
    assertThat(names.of("deb", arm, APP)).isEqualTo("embedded-app_1.2.0-1_arm64.deb");
    assertThat(names.of("rpm", arm, APP)).isEqualTo("embedded-app-1.2.0-1.aarch64.rpm");
    ReleaseTarget pi = target("armv7-unknown-linux-gnueabihf");
    assertThat(names.of("deb", pi, APP)).isEqualTo("embedded-app_1.2.0-1_armhf.deb");
    assertThat(names.of("rpm", pi, APP)).isEqualTo("embedded-app-1.2.0-1.armv7hl.rpm");
    assertThat(names.of("tar.gz", pi, APP)).isEqualTo("embedded-app-1.2.0_linux_armv7.tar.gz");
    assertThat(names.of("tar.gz", target("aarch64-apple-darwin"), APP))
        .isEqualTo("embedded-app-1.2.0_darwin_arm64.tar.gz");
    assertThat(names.of("zip", target("x86_64-pc-windows-msvc"), APP))
        .isEqualTo("embedded-app-1.2.0-windows_amd64.zip");
    // A pre-release sorts before the release in dpkg and rpm, and the names say so.
    AppInfo rc = new AppInfo("embedded-app", "3.1.0-rc1", "s", "m", "", "", 0, "");
    assertThat(names.of("deb", x86, rc)).isEqualTo("embedded-app_3.1.0~rc1-1_amd64.deb");
    assertThat(names.of("rpm", x86, rc)).isEqualTo("embedded-app-3.1.0~rc1-1.x86_64.rpm");
  }

  @Test
  void everyPlaceholderTheMatrixAcceptsIsFilledIn() throws PbsException {
    String all =
        MatrixReader.NAME_PLACEHOLDERS.stream()
            .sorted()
            .map(p -> "{" + p + "}")
            .collect(Collectors.joining("-", "", ".zip"));
    assertThat(
            new ArtifactNames(Map.of("zip", all)).of("zip", target("x86_64-pc-windows-msvc"), APP))
        .isEqualTo(
            "amd64-amd64-1.2.0-1-embedded-app-windows-windows_amd64-x86_64-1-1.2.0-1.2.0.zip");
  }

  @Test
  void matrixTemplatesReplaceSingleFormats() throws PbsException {
    ArtifactNames names =
        new ArtifactNames(
            Map.of(
                "tar.gz", "{name}-{version}-{os}-{arch}.tar.gz",
                "rpm", "{name}-{rpmVersion}-{rpmRelease}.el9.{rpmArch}.rpm"));
    ReleaseTarget x86 = target("x86_64-unknown-linux-gnu");
    assertThat(names.of("tar.gz", x86, APP)).isEqualTo("embedded-app-1.2.0-linux-amd64.tar.gz");
    assertThat(names.of("rpm", x86, APP)).isEqualTo("embedded-app-1.2.0-1.el9.x86_64.rpm");
    assertThat(names.of("deb", x86, APP)).isEqualTo("embedded-app_1.2.0-1_amd64.deb");
    assertThatThrownBy(
            () ->
                names.of(
                    "deb",
                    x86,
                    new AppInfo("embedded-app", "not a version", "s", "m", "", "", 0, "")))
        .isInstanceOf(PbsException.class)
        .hasMessageContaining("not a version");
  }
}
