package dev.pbstoolchain.core.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.RecordingConsole;
import dev.pbstoolchain.core.release.Artifact;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.core.release.ReleaseTarget;
import dev.pbstoolchain.core.release.SigningSettings;
import dev.pbstoolchain.publishing.signing.Passphrase;
import dev.pbstoolchain.testing.ExternalTool;
import dev.pbstoolchain.testing.Gpg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pbs:package keeps packages whose inputs did not change and removes what it no longer makes. */
class PackageStepTest {

  private static final String MATRIX =
      """
      pbs: {date: '20241016', version: 3.11.10}
      app: {name: app, maintainer: 'M <m@example.com>'}
      targets:
        - {triple: x86_64-unknown-linux-gnu, binary: out/app, formats: [tar.gz, deb]}
        - {triple: aarch64-unknown-linux-gnu, binary: out/app, formats: [tar.gz]}
      """;

  @TempDir Path project;
  private final RecordingConsole console = new RecordingConsole();
  private final List<String> log = console.infos;

  @BeforeEach
  void matrix() throws Exception {
    Files.writeString(project.resolve("matrix.yaml"), MATRIX);
  }

  private Release release(String version) throws Exception {
    Release release =
        Release.load(
            ReleaseSettings.builder(FrontEnd.MAVEN, project)
                .projectVersion(version)
                .sourceDateEpoch("")
                .build());
    for (ReleaseTarget target : release.targets("pbs:package")) {
      if (!Files.exists(target.stagedBinary())) {
        Files.createDirectories(target.stagedBinary().getParent());
        Files.writeString(target.stagedBinary(), "#!/bin/sh\necho app\n");
        Files.createDirectories(target.home().resolve("lib/python3.11"));
        Files.writeString(target.home().resolve("lib/python3.11/os.py"), "# os\n");
      }
    }
    return release;
  }

  private PackageStep.Result packageAll(String version) throws Exception {
    log.clear();
    return PackageStep.run(release(version), console);
  }

  private PackageStep.Result packageSigned(Path keyFile) throws Exception {
    log.clear();
    release("1.0.0");
    Release release =
        Release.load(
            ReleaseSettings.builder(FrontEnd.MAVEN, project)
                .projectVersion("1.0.0")
                .sourceDateEpoch("")
                .signing(
                    new SigningSettings(
                        keyFile,
                        "",
                        Passphrase.of(Gpg.PASSPHRASE.toCharArray(), "the test's passphrase")))
                .build());
    return PackageStep.run(release, console);
  }

  private Path dist(String name) {
    return project.resolve("target/pbs-dist").resolve(name);
  }

  @Test
  void unchangedInputsKeepThePackagesAndAnyChangeMakesThemAgain() throws Exception {
    List<Artifact> first = packageAll("1.0.0").artifacts();
    Path deb = dist("app_1.0.0-1_amd64.deb");
    FileTime written = Files.getLastModifiedTime(deb);
    Thread.sleep(20);

    List<Artifact> second = packageAll("1.0.0").artifacts();
    assertThat(second).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(deb)).isEqualTo(written);
    assertThat(log)
        .contains(
            "x86_64-unknown-linux-gnu: packaging skipped, its inputs (binary, python/, matrix, app,"
                + " options, pbs version) are those of the last build: kept"
                + " app-1.0.0_linux_amd64.tar.gz, app_1.0.0-1_amd64.deb");
    assertThat(Files.readString(dist("SHA256SUMS"))).contains(first.get(1).sha256());

    // One file of python/ changes: that target packages again, the other keeps its tar.gz.
    Release release = release("1.0.0");
    Files.writeString(
        release.targets("pbs:package").get(0).home().resolve("lib/python3.11/os.py"), "# os 2\n");
    List<Artifact> third = packageAll("1.0.0").artifacts();
    assertThat(third.get(1).sha256()).isNotEqualTo(first.get(1).sha256());
    assertThat(third.get(2)).isEqualTo(first.get(2));
    assertThat(log)
        .noneMatch(line -> line.startsWith("x86_64-unknown-linux-gnu: packaging skipped"));
    assertThat(log)
        .anyMatch(line -> line.startsWith("aarch64-unknown-linux-gnu: packaging skipped"));

    // A package replaced behind pbs's back is made again, not trusted.
    Files.writeString(deb, "not a deb");
    packageAll("1.0.0");
    assertThat(Files.size(deb)).isGreaterThan(100);
    assertThat(log)
        .noneMatch(line -> line.startsWith("x86_64-unknown-linux-gnu: packaging skipped"));
  }

  @Test
  void aSigningKeyThatComesOrGoesMakesThePackagesAgain(@TempDir Path gnupg) throws Exception {
    Gpg gpg = new Gpg(gnupg);
    String fingerprint =
        gpg.generate("PBS Release <release@example.com>", "ed25519", "sign", "2y", Gpg.PASSPHRASE);
    Path keyFile = gpg.exportSecret(fingerprint, Gpg.PASSPHRASE, gnupg.resolve("key.asc"));
    Path deb = dist("app_1.0.0-1_amd64.deb");
    String unsigned = packageAll("1.0.0").artifacts().get(1).sha256();

    // Same inputs but a key: kept unsigned packages would ship unsigned.
    String signed = packageSigned(keyFile).artifacts().get(1).sha256();
    assertThat(signed).isNotEqualTo(unsigned);
    assertThat(log)
        .noneMatch(line -> line.startsWith("x86_64-unknown-linux-gnu: packaging skipped"));
    assertThat(ExternalTool.run("ar", "t", deb.toString()).orFail().stdout())
        .contains("_gpgorigin");
    assertThat(dist("SHA256SUMS.asc")).exists();

    // The same key again: kept, still signed.
    assertThat(packageSigned(keyFile).artifacts().get(1).sha256()).isEqualTo(signed);
    assertThat(log)
        .anyMatch(line -> line.startsWith("x86_64-unknown-linux-gnu: packaging skipped"));

    // No key: unsigned packages again, and no SHA256SUMS.asc that no longer matches SHA256SUMS.
    assertThat(packageAll("1.0.0").artifacts().get(1).sha256()).isNotEqualTo(signed);
    assertThat(ExternalTool.run("ar", "t", deb.toString()).orFail().stdout())
        .doesNotContain("_gpgorigin");
    assertThat(dist("SHA256SUMS.asc")).doesNotExist();
  }

  @Test
  void outputsOfARemovedFormatTargetOrVersionLeaveTheDistDirectory() throws Exception {
    packageAll("1.0.0");
    Files.writeString(dist("app-1.0.0_linux_amd64.cdx.json"), "{}");
    Files.writeString(dist("notes.txt"), "mine");
    assertThat(dist("app_1.0.0-1_amd64.deb")).exists();
    assertThat(dist("app-1.0.0_linux_arm64.tar.gz")).exists();

    // The deb format and the aarch64 row are gone.
    Files.writeString(
        project.resolve("matrix.yaml"),
        MATRIX
            .replace("formats: [tar.gz, deb]", "formats: [tar.gz]")
            .replace(
                "  - {triple: aarch64-unknown-linux-gnu, binary: out/app, formats: [tar.gz]}\n",
                ""));
    packageAll("1.0.0");
    assertThat(dist("app_1.0.0-1_amd64.deb")).doesNotExist();
    assertThat(dist("app_1.0.0-1_amd64.deb.sha256")).doesNotExist();
    assertThat(dist("app-1.0.0_linux_arm64.tar.gz")).doesNotExist();
    assertThat(dist("pbs-manifest-aarch64-unknown-linux-gnu.json")).doesNotExist();
    assertThat(dist("pbs-manifest-x86_64-unknown-linux-gnu.json")).exists();
    assertThat(dist("app-1.0.0_linux_amd64.tar.gz")).exists();
    assertThat(Files.readString(dist("SHA256SUMS")))
        .doesNotContain("deb")
        .doesNotContain("arm64")
        .contains("app-1.0.0_linux_amd64.tar.gz");
    assertThat(log)
        .contains(
            "Removed "
                + dist("app_1.0.0-1_amd64.deb")
                + ": an earlier build's output this build does not make");

    // A new version: the old version's package and SBOM go, files pbs never wrote stay.
    packageAll("1.1.0");
    assertThat(dist("app-1.0.0_linux_amd64.tar.gz")).doesNotExist();
    assertThat(dist("app-1.0.0_linux_amd64.cdx.json")).doesNotExist();
    assertThat(dist("app-1.1.0_linux_amd64.tar.gz")).exists();
    assertThat(dist("notes.txt")).exists();
  }
}
