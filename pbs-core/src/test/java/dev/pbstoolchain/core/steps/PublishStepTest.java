package dev.pbstoolchain.core.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.RecordingConsole;
import dev.pbstoolchain.core.publish.TargetManifest;
import dev.pbstoolchain.core.release.PublishSettings;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.core.release.SigningSettings;
import dev.pbstoolchain.publishing.io.FileDigests;
import dev.pbstoolchain.publishing.signing.Passphrase;
import dev.pbstoolchain.testing.AptJudge;
import dev.pbstoolchain.testing.DnfJudge;
import dev.pbstoolchain.testing.Gpg;
import dev.pbstoolchain.testing.LoopbackServer;
import dev.pbstoolchain.testing.PackageFixtures;
import dev.pbstoolchain.testing.PackageSignatureJudge;
import dev.pbstoolchain.testing.Sh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pbs:publish over the outputs of two build jobs (one per target), judged by gpg (SHA256SUMS.asc),
 * sha256sum, rpm -K, apt-get and dnf installing from the published repositories over HTTP with
 * signature checking on; and its refusals, each before anything is written.
 */
class PublishStepTest {

  private static final String AMD64 = "x86_64-unknown-linux-gnu";
  private static final String ARM64 = "aarch64-unknown-linux-gnu";
  private static final long EPOCH = 1_764_000_000L;
  private static final String MATRIX =
      "pbs: {date: '20241016', version: 3.11.10}\n"
          + "app: {name: pbs-hello, maintainer: 'M <m@example.com>'}\n"
          + "targets:\n"
          + "  - triple: "
          + AMD64
          + "\n    binary: out/amd64/pbs-hello\n"
          + "    formats: [deb, rpm]\n"
          + "  - triple: "
          + ARM64
          + "\n    binary: out/arm64/pbs-hello\n"
          + "    formats: [deb, rpm]\n";

  @TempDir static Path shared;
  static Gpg gpg;
  static Path keyFile;
  static Path debAmd64;
  static Path rpmAmd64;
  static Path debArm64;
  static Path tgzArm64;

  @TempDir Path project;

  @BeforeAll
  static void keyAndPackages() throws Exception {
    gpg = new Gpg(shared.resolve("gnupg"));
    String fingerprint =
        gpg.generate("PBS Release <release@example.com>", "rsa3072", "sign", "2y", Gpg.PASSPHRASE);
    keyFile = gpg.exportSecret(fingerprint, Gpg.PASSPHRASE, shared.resolve("release-key.asc"));
    Path packages = shared.resolve("packages");
    Files.createDirectories(packages);
    debAmd64 = PackageFixtures.deb(packages, "pbs-hello", "1.2.0-1", "amd64");
    rpmAmd64 = PackageFixtures.rpm(packages, "pbs-hello", "1.2.0", "1", "x86_64");
    debArm64 = PackageFixtures.deb(packages, "pbs-hello", "1.2.0-1", "arm64");
    // rpmbuild here cannot target aarch64: this job ships its deb and a tar.gz.
    tgzArm64 = packages.resolve("pbs-hello-1.2.0_linux_arm64.tar.gz");
    Sh.run(
            packages,
            Map.of(),
            "tar",
            "-czf",
            tgzArm64.toString(),
            debArm64.getFileName().toString())
        .ok();
  }

  @AfterAll
  static void stopAgent() {
    gpg.close();
  }

  private final RecordingConsole console = new RecordingConsole();

  /** One build job's target/pbs-dist: its packages and a verified manifest naming them. */
  private Path job(String triple, String verify, long epoch, Path... packages) throws Exception {
    Path dist = project.resolve("jobs").resolve(triple);
    Files.createDirectories(dist);
    List<TargetManifest.Entry> entries = new ArrayList<>();
    for (Path p : packages) {
      Path copy = Files.copy(p, dist.resolve(p.getFileName()));
      String name = copy.getFileName().toString();
      entries.add(
          new TargetManifest.Entry(
              name,
              name.endsWith(".tar.gz") ? "tar.gz" : name.substring(name.lastIndexOf('.') + 1),
              triple.startsWith("x86_64") ? "linux_amd64" : "linux_arm64",
              FileDigests.of(copy).sha256(),
              Files.size(copy)));
    }
    new TargetManifest(
            "0.1.0-SNAPSHOT",
            triple,
            new TargetManifest.Pbs("20241016", "3.11.10", "install_only_stripped", "", ""),
            "pbs-hello",
            "1.2.0",
            epoch,
            entries,
            verify,
            verify.equals("failed") ? List.of("pbs-hello.deb: runs: exit 127") : List.of())
        .write(dist);
    return dist;
  }

  private Release release(Passphrase passphrase, Path... from) throws Exception {
    Files.writeString(project.resolve("matrix.yaml"), MATRIX);
    return Release.load(
        ReleaseSettings.builder(FrontEnd.MAVEN, project)
            .projectVersion("1.2.0")
            .sourceDateEpoch("")
            .outputTimestamp(Long.toString(EPOCH))
            .signing(new SigningSettings(keyFile, "", passphrase))
            .publish(new PublishSettings(List.of(from), null, null, null, null, null))
            .build());
  }

  private static Passphrase right() {
    return Passphrase.of(Gpg.PASSPHRASE.toCharArray(), "the environment variable X");
  }

  private Path releaseDir() {
    return project.resolve("target/pbs-release");
  }

  @Test
  void publishesTwoJobsAsOneSignedReleaseThatAptAndDnfInstall() throws Exception {
    Release release =
        release(
            right(),
            job(AMD64, "passed", EPOCH, debAmd64, rpmAmd64),
            job(ARM64, "passed", EPOCH, debArm64, tgzArm64));

    PublishStep.run(release, console);

    Path dir = releaseDir();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains(
              "SHA256SUMS",
              "SHA256SUMS.asc",
              "KEY.asc",
              "apt",
              "yum",
              debAmd64.getFileName().toString(),
              tgzArm64.getFileName() + ".sha256");
    }
    String sums = Files.readString(dir.resolve("SHA256SUMS"));
    assertThat(sums.lines()).hasSize(4);
    Sh.run(dir, Map.of(), "sha256sum", "--strict", "-c", "SHA256SUMS").ok();

    // A user who only has KEY.asc checks SHA256SUMS and the rpm signatures with it.
    Gpg user = new Gpg(project.resolve("user-gnupg"));
    try {
      user.importKey(dir.resolve("KEY.asc"));
      Sh.Result verify =
          user.result(
              null,
              "--status-fd",
              "1",
              "--verify",
              dir.resolve("SHA256SUMS.asc").toString(),
              dir.resolve("SHA256SUMS").toString());
      assertThat(verify.out()).contains("[GNUPG:] VALIDSIG");
    } finally {
      user.close();
    }
    for (Path rpm : List.of(rpmAmd64)) {
      assertThat(
              PackageSignatureJudge.rpmkeys(
                      project.resolve("rpmdb"),
                      dir.resolve("KEY.asc"),
                      dir.resolve(rpm.getFileName()),
                      "--checksig")
                  .ok()
                  .out())
          .contains("digests signatures OK");
    }

    try (LoopbackServer server = LoopbackServer.serve(dir)) {
      AptJudge apt =
          new AptJudge(
              project.resolve("apt-client"),
              "deb [signed-by="
                  + dir.resolve("KEY.asc")
                  + "] "
                  + server.baseUrl()
                  + "/apt/ stable main");
      Sh.Result update = apt.aptGet("update");
      assertThat(update.code()).as(update.out()).isZero();
      assertThat(update.out()).doesNotContain("W:").doesNotContain("E:");
      apt.aptGet("install", "pbs-hello").ok();
      assertThat(PackageFixtures.installedVersion(apt.root(), "pbs-hello")).isEqualTo("1.2.0-1");

      DnfJudge dnf =
          new DnfJudge(
              project.resolve("dnf-client"),
              server.baseUrl() + "/yum/",
              server.baseUrl() + "/KEY.asc");
      dnf.dnf("install", "pbs-hello").ok();
      assertThat(PackageFixtures.installedVersion(dnf.root(), "pbs-hello")).isEqualTo("1.2.0");
    }
    assertThat(String.join("\n", console.lines)).doesNotContain(Gpg.PASSPHRASE);

    // Publishing the same jobs again writes the same bytes.
    String asc = Files.readString(dir.resolve("SHA256SUMS.asc"));
    PublishStep.run(release, console);
    assertThat(Files.readString(dir.resolve("SHA256SUMS"))).isEqualTo(sums);
    assertThat(Files.readString(dir.resolve("SHA256SUMS.asc"))).isEqualTo(asc);
  }

  @Test
  void aMissingTargetIsNamedAndNothingIsWritten() throws Exception {
    Release release = release(right(), job(AMD64, "passed", EPOCH, debAmd64, rpmAmd64));
    assertThatThrownBy(() -> PublishStep.run(release, console))
        .isInstanceOf(PbsException.class)
        .hasMessageContaining("No build output for " + ARM64)
        .hasMessageContaining("pbs-manifest-" + ARM64 + ".json")
        .hasMessageContaining("pbs.publish.from");
    assertThat(releaseDir()).doesNotExist();
  }

  @Test
  void aFailedTargetIsRefusedWithWhatVerifyFound() throws Exception {
    Release release =
        release(
            right(), job(AMD64, "passed", EPOCH, debAmd64), job(ARM64, "failed", EPOCH, debArm64));
    assertThatThrownBy(() -> PublishStep.run(release, console))
        .hasMessageContaining(ARM64 + " failed pbs:verify")
        .hasMessageContaining("pbs-hello.deb: runs: exit 127");
    assertThat(releaseDir()).doesNotExist();
  }

  @Test
  void jobsOfDifferentBuildTimesAreRefused() throws Exception {
    Release release =
        release(
            right(),
            job(AMD64, "passed", EPOCH, debAmd64),
            job(ARM64, "passed", EPOCH + 1, debArm64));
    assertThatThrownBy(() -> PublishStep.run(release, console))
        .hasMessageContaining("differ in their outputTimestamp")
        .hasMessageContaining("[" + AMD64 + "]")
        .hasMessageContaining("[" + ARM64 + "]");
    assertThat(releaseDir()).doesNotExist();
  }

  @Test
  void anArtifactChangedAfterItsBuildIsRefused() throws Exception {
    Path arm = job(ARM64, "passed", EPOCH, debArm64);
    Path deb = arm.resolve(debArm64.getFileName());
    byte[] bytes = Files.readAllBytes(deb);
    bytes[bytes.length - 1] ^= 1;
    Files.write(deb, bytes);
    Release release = release(right(), job(AMD64, "passed", EPOCH, debAmd64), arm);
    assertThatThrownBy(() -> PublishStep.run(release, console))
        .hasMessageContaining(deb.toString())
        .hasMessageContaining("not the " + FileDigests.of(debArm64).sha256());
    assertThat(releaseDir()).doesNotExist();
  }

  @Test
  void aWrongPassphraseFailsFirstWithoutShowingIt() throws Exception {
    String wrong = "Tr0ub4dor&3-not-it";
    Release release =
        release(
            Passphrase.of(wrong.toCharArray(), "the environment variable PBS_SIGNING_PASSPHRASE"),
            job(AMD64, "passed", EPOCH, debAmd64),
            job(ARM64, "passed", EPOCH, debArm64));
    assertThatThrownBy(() -> PublishStep.run(release, console))
        .isInstanceOfSatisfying(
            PbsException.class, e -> assertThat(e.isConfigurationProblem()).isTrue())
        .hasMessageContaining(keyFile.toString())
        .hasMessageContaining("PBS_SIGNING_PASSPHRASE")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(Gpg.PASSPHRASE));
    assertThat(releaseDir()).doesNotExist();
    assertThat(release.settings().toString()).doesNotContain(wrong);
  }

  @Test
  void withoutAKeyPublishSaysWhichPropertiesToSet() throws Exception {
    Files.writeString(project.resolve("matrix.yaml"), MATRIX);
    Release release =
        Release.load(
            ReleaseSettings.builder(FrontEnd.MAVEN, project)
                .projectVersion("1.2.0")
                .sourceDateEpoch("")
                .build());
    assertThatThrownBy(() -> PublishStep.run(release, console))
        .hasMessage(
            "pbs:publish signs the release: set pbs.signing.keyFile (its passphrase from"
                + " pbs.signing.serverId or PBS_SIGNING_PASSPHRASE) or pbs.signing.gpgKey.");
  }
}
