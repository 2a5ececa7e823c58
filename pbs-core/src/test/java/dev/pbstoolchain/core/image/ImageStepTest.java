package dev.pbstoolchain.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.packaging.ReleasePackager;
import dev.pbstoolchain.core.release.RegistryLogin;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.core.steps.ImageStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pbs:image's checks before it builds, and its line in SHA256SUMS. The image itself is built,
 * pushed, pulled and run by the plugin's release-image IT and oci-image's tests.
 */
class ImageStepTest {

  @TempDir Path project;

  private static final String MATRIX =
      "pbs: {date: '20241016', version: 3.11.10}\n"
          + "app: {name: app, maintainer: 'M <m@example.com>'}\n"
          + "targets:\n"
          + "  - triple: x86_64-unknown-linux-gnu\n"
          + "    binary: out/app\n"
          + "    formats: [tar.gz]\n";

  private Release release(String image, boolean push) throws Exception {
    Files.writeString(project.resolve("matrix.yaml"), MATRIX + image);
    // A staged binary and an unpacked Python home, so the step reaches its own checks.
    Path staged = project.resolve("target/pbs-stage/x86_64-unknown-linux-gnu/app");
    Files.createDirectories(staged.getParent());
    Files.writeString(staged, "#!/bin/sh\n");
    Files.createDirectories(project.resolve("target/pbs/x86_64-unknown-linux-gnu/python/lib"));
    return Release.load(
        ReleaseSettings.builder(FrontEnd.MAVEN, project)
            .projectVersion("1.2.0")
            .sourceDateEpoch("")
            .imagePush(push)
            .build());
  }

  @Test
  void aMatrixWithoutAnImageBlockMakesNoImage() throws Exception {
    assertThat(ImageStep.run(release("", true), PbsConsole.silent())).isEmpty();
    assertThat(project.resolve("target/pbs-dist/oci")).doesNotExist();
  }

  @Test
  void anImageWithoutBaseIsRefusedByTheReader() {
    assertThatThrownBy(() -> release("image: {repository: registry.example.com/acme/app}\n", false))
        .isInstanceOf(PbsException.class)
        .hasMessageContaining("matrix.yaml:")
        .hasMessageContaining("base");
  }

  @Test
  void anUnquotedUidSaysToQuoteIt() {
    assertThatThrownBy(() -> release("image: {base: 'oci-layout:b', uids: {app: 999}}\n", false))
        .isInstanceOf(PbsException.class)
        .hasMessageContaining("image.uids.app")
        .hasMessageContaining("\"999\"");
  }

  @Test
  void pushingWithoutRepositoryIsRefusedBeforeAnythingIsBuilt() throws Exception {
    Release release = release("image: {base: 'oci-layout:base'}\n", true);
    assertThatThrownBy(() -> ImageStep.run(release, PbsConsole.silent()))
        .isInstanceOf(PbsException.class)
        .hasMessageContaining("pbs.image.push=true needs image.repository");
    assertThat(project.resolve("target/pbs-dist/oci")).doesNotExist();
  }

  @Test
  void whatAKilledBuildLeftInTheDistDirectoryIsRemovedFirst() throws Exception {
    Release release = release("image: {base: 'oci-layout:base'}\n", true);
    Path dist = Files.createDirectories(project.resolve("target/pbs-dist"));
    // A killed pbs:image leaves its oci-archive's temp file; a killed pbs:verify its scratch.
    Path archiveTemp = Files.writeString(dist.resolve(".app-1.2.0_oci.tar.123.tmp"), "half");
    Path verifyScratch = Files.createDirectories(dist.resolve(".verify/smoke/smoke-123/home"));
    assertThatThrownBy(() -> ImageStep.run(release, PbsConsole.silent()))
        .hasMessageContaining("pbs.image.push=true needs image.repository");
    assertThat(archiveTemp).doesNotExist();
    assertThat(verifyScratch.getParent()).doesNotExist();
  }

  @Test
  void theMatrixImageBlockIsRead() throws Exception {
    Release release =
        release(
            "image:\n"
                + "  repository: registry.example.com/acme/app\n"
                + "  tags: ['{version}', latest]\n"
                + "  base: oci-layout:base:bookworm\n"
                + "  entrypoint: [/usr/bin/app, --serve]\n"
                + "  env: {B: '2', A: '1'}\n"
                + "  ports: ['8080', 53/udp]\n"
                + "  uids: {app: '999'}\n",
            false);
    var image = release.image().orElseThrow();
    assertThat(image.tags()).containsExactly("{version}", "latest");
    assertThat(image.entrypoint()).containsExactly("/usr/bin/app", "--serve");
    assertThat(image.cmd()).isNull();
    assertThat(image.env())
        .containsExactly(java.util.Map.entry("B", "2"), java.util.Map.entry("A", "1"));
    assertThat(image.ports()).containsExactly("8080", "53/udp");
    assertThat(image.uids()).containsEntry("app", 999L);
    assertThat(release.imageArchive(release.app("test")))
        .isEqualTo(project.resolve("target/pbs-dist/app-1.2.0_oci.tar"));
  }

  @Test
  void theArchiveJoinsSha256SumsInNameOrderReplacingAnEarlierLine() throws Exception {
    Path dist = Files.createDirectories(project.resolve("dist"));
    Files.writeString(dist.resolve("SHA256SUMS"), "aa  app-1.2.0_linux_amd64.tar.gz\nbb  zz.rpm\n");
    Path archive = Files.writeString(dist.resolve("app-1.2.0_oci.tar"), "x");
    ReleasePackager.addDigest(dist, archive, "cc");
    ReleasePackager.addDigest(dist, archive, "dd");
    assertThat(Files.readString(dist.resolve("SHA256SUMS")))
        .isEqualTo("aa  app-1.2.0_linux_amd64.tar.gz\ndd  app-1.2.0_oci.tar\nbb  zz.rpm\n");
    assertThat(Files.readString(dist.resolve("app-1.2.0_oci.tar.sha256")))
        .isEqualTo("dd  app-1.2.0_oci.tar\n");
    try (var left = Files.list(dist)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("SHA256SUMS", "app-1.2.0_oci.tar", "app-1.2.0_oci.tar.sha256");
    }
  }

  @Test
  void aRegistryLoginNeverPrintsItsSecret() {
    RegistryLogin login = new RegistryLogin("127.0.0.1:5000", "pusher", "s3cret-token");
    assertThat(login.toString()).doesNotContain("s3cret-token").contains("pusher");
    assertThat(List.of(login).toString()).doesNotContain("s3cret-token");
  }
}
