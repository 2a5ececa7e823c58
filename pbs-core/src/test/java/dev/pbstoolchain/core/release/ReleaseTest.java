package dev.pbstoolchain.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.TestMatrix;
import dev.pbstoolchain.core.Triples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the goals used to work out each for themselves, now resolved once. */
class ReleaseTest {

  @TempDir Path project;

  private static final String MATRIX =
      TestMatrix.linuxApp("tar.gz, deb")
          + "  - triple: x86_64-pc-windows-gnu\n"
          + "    pbsTriple: x86_64-pc-windows-msvc\n"
          + "    binary: out/app.exe\n"
          + "    formats: [zip]\n";

  private Release release(ReleaseSettings.Builder settings) throws Exception {
    Files.writeString(project.resolve("matrix.yaml"), MATRIX);
    return Release.load(settings.build());
  }

  private ReleaseSettings.Builder settings() {
    return ReleaseSettings.builder(FrontEnd.MAVEN, project)
        .projectVersion("1.2.0")
        .sourceDateEpoch("");
  }

  @Test
  void aProjectWithoutMatrixAndDateReleasesNothingAndSaysWhy() throws Exception {
    assertThat(Release.nothingToRelease(settings().build()))
        .contains(
            "this project releases nothing: it has no "
                + project.resolve("matrix.yaml")
                + " and no -Dpbs.date (add a matrix.yaml, or point pbs.matrix at one, to release"
                + " it)");
    assertThat(Release.nothingToRelease(settings().date("20241016").build())).isEmpty();
    Files.writeString(project.resolve("matrix.yaml"), MATRIX);
    assertThat(Release.nothingToRelease(settings().build())).isEmpty();
  }

  @Test
  void outputsBesidesThePackagesAreAttachedUnderClassifiersOfTheirOwn() throws Exception {
    Release release = release(settings());
    AppInfo app = release.app("pbs:licenses");
    ReleaseTarget windows = release.targets("pbs:licenses").get(1);
    Artifact sbom = Artifact.sbom(release.sbom(windows, app), windows);
    assertThat(sbom.file())
        .isEqualTo(project.resolve("target/pbs-dist/app-1.2.0_windows_amd64.cdx.json"));
    assertThat(sbom.classifier()).isEqualTo("windows_amd64-cyclonedx");
    assertThat(sbom.type()).isEqualTo("json");
    Artifact report = Artifact.verifyReport(release.verifyReport());
    assertThat(report.file()).isEqualTo(project.resolve("target/pbs-dist/verify-report.json"));
    assertThat(List.of(report.classifier(), report.type()))
        .containsExactly("verify-report", "json");
    Artifact sums = Artifact.sums(project.resolve("target/pbs-dist/SHA256SUMS"));
    assertThat(List.of(sums.classifier(), sums.type())).containsExactly("sha256sums", "txt");
  }

  @Test
  void matrixGivesTheReleaseAndTheRowsTheirPbsBuilds() throws Exception {
    Release release = release(settings());
    assertThat(release.date()).isEqualTo("20241016");
    assertThat(release.version()).isEqualTo("3.11.10");
    assertThat(release.pbsTriples())
        .containsExactly("x86_64-unknown-linux-gnu", "x86_64-pc-windows-msvc");
    ReleaseTarget windows = release.targets("pbs:package").get(1);
    assertThat(windows.triple()).isEqualTo("x86_64-pc-windows-msvc");
    assertThat(windows.binary()).isEqualTo(project.resolve("out/app.exe"));
    assertThat(windows.stagedBinary())
        .isEqualTo(project.resolve("target/pbs-stage/x86_64-pc-windows-msvc/app.exe"));
    assertThat(windows.home())
        .isEqualTo(project.resolve("target/pbs/x86_64-pc-windows-msvc/python"));
  }

  @Test
  void propertiesWinOverTheMatrix() throws Exception {
    Release release =
        release(settings().date("20250317").version("3.12.9").targets("x86_64-unknown-linux-gnu"));
    assertThat(release.date()).isEqualTo("20250317");
    assertThat(release.version()).isEqualTo("3.12.9");
    assertThat(release.targets("pbs:patch")).hasSize(1);
  }

  @Test
  void aFullFlavoursHomeIsItsInstallDirectory() throws Exception {
    // pbs:fetch unpacks a full archive's tree under python/install; pyo3-config and the packagers
    // must read the same directory.
    Release release = release(settings().flavor("pgo+lto-full"));
    TargetPaths paths = release.paths("x86_64-unknown-linux-gnu");
    assertThat(paths.home())
        .isEqualTo(project.resolve("target/pbs/x86_64-unknown-linux-gnu/python/install"));
    assertThat(paths.pyo3Config())
        .isEqualTo(project.resolve("target/pbs/x86_64-unknown-linux-gnu/pyo3-config.txt"));
  }

  @Test
  void theSbomCarriesTheAppVersionLikeTheArtifacts() throws Exception {
    Files.writeString(
        project.resolve("matrix.yaml"), MATRIX.replace("name: app,", "name: app, version: 2.0.0,"));
    Release release = Release.load(settings().build());
    AppInfo app = release.app("pbs:licenses");
    ReleaseTarget linux = release.targets("pbs:licenses").get(0);
    assertThat(app.version()).isEqualTo("2.0.0");
    assertThat(release.sbom(linux, app).getFileName().toString())
        .isEqualTo("app-2.0.0_linux_amd64.cdx.json");
    assertThat(release.artifact("tar.gz", linux, app).getFileName().toString())
        .isEqualTo("app-2.0.0_linux_amd64.tar.gz");
  }

  @Test
  void anAppWithoutAVersionTakesTheProjects() throws Exception {
    assertThat(release(settings()).app("pbs:package").version()).isEqualTo("1.2.0");
  }

  @Test
  void aTargetWithoutARowFailsOnLoadBeforeAnyStepNamingTheRows() {
    assertThatThrownBy(() -> release(settings().targets("aarch64-unknown-linux-gnu")))
        .isInstanceOf(PbsException.class)
        .hasMessage(
            "-Dpbs.targets=aarch64-unknown-linux-gnu: aarch64-unknown-linux-gnu has no row in "
                + project.resolve("matrix.yaml")
                + ", whose rows are x86_64-unknown-linux-gnu (line 4), x86_64-pc-windows-gnu"
                + " (line 7). Add a row, or choose among them.");
  }

  @Test
  void aTargetNamedByTheAppTripleOfARowFetchesThePbsBuildTheRowShips() throws Exception {
    assertThat(release(settings().targets("x86_64-pc-windows-gnu")).pbsTriples())
        .containsExactly("x86_64-pc-windows-msvc");
  }

  @Test
  void withoutAMatrixFetchWorksFromPropertiesAndReleaseStepsSayWhatIsMissing() throws Exception {
    Release release = Release.load(settings().date("20241016").version("3.11.10").build());
    assertThat(release.pbsTriples()).containsExactly(Triples.host());
    assertThatThrownBy(() -> release.targets("pbs:patch"))
        .hasMessage(
            project.resolve("matrix.yaml")
                + " does not exist: pbs:patch needs the release matrix (create it, see"
                + " README.md, or point pbs.matrix at it)");
    Release bare = Release.load(settings().build());
    assertThatThrownBy(bare::date)
        .hasMessage(
            "Give the PBS release tag, e.g. 20241016: -Dpbs.date=..., or date: under pbs: in "
                + project.resolve("matrix.yaml"));
  }

  @Test
  void theBuildTimeIsNeverNow() throws Exception {
    assertThat(release(settings()).epochSeconds()).isEqualTo(315532800L);
    assertThat(release(settings().outputTimestamp("2026-11-24T00:00:00Z")).epochSeconds())
        .isEqualTo(1795478400L);
    // Maven's "a" means not reproducible: SOURCE_DATE_EPOCH then decides.
    Release fromEnvironment =
        release(settings().outputTimestamp("a").sourceDateEpoch("1700000000"));
    assertThat(fromEnvironment.epochSeconds()).isEqualTo(1700000000L);
    assertThat(
            release(settings().outputTimestamp("1795478400").sourceDateEpoch("1700000000"))
                .fixedTimes())
        .containsExactlyInAnyOrder(1795478400L, 1700000000L);
    assertThatThrownBy(() -> release(settings().outputTimestamp("yesterday")).epochSeconds())
        .hasMessageContaining("'yesterday' is neither seconds since 1970 nor ISO-8601");
  }

  @Test
  void theDefaultRunpathServesTheTarballAndThePackageLayouts() {
    assertThat(dev.pbstoolchain.core.patch.BinaryPatch.defaultRunpath("app"))
        .isEqualTo("$ORIGIN/python/lib:$ORIGIN/../lib/app/python/lib");
  }
}
