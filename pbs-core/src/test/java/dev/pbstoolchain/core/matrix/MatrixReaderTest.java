package dev.pbstoolchain.core.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.core.PbsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixReaderTest {

  @TempDir Path dir;

  @Test
  void readsTheProjectsOwnMatrix() throws PbsException {
    // Surefire runs in the module directory; the project's matrix is one level up.
    Matrix matrix = MatrixReader.read(Path.of("../matrix.yaml"));
    assertThat(matrix.date()).isEqualTo("20241016");
    assertThat(matrix.version()).isEqualTo("3.11.10");
    assertThat(matrix.app().name()).isEqualTo("embedded-app");
    assertThat(matrix.triples())
        .containsExactly(
            "x86_64-unknown-linux-gnu",
            "aarch64-unknown-linux-gnu",
            "aarch64-apple-darwin",
            "x86_64-pc-windows-msvc");
    assertThat(matrix.target("x86_64-pc-windows-msvc").orElseThrow().formats())
        .containsExactly("zip");
  }

  @Test
  void aRowCanShipAnotherPbsBuildAndItsOwnRunpath() throws Exception {
    Path file =
        write(
            "pbs: {date: '20241016', version: 3.11.10}\napp: {name: a, version: 2.0.0}\n"
                + "targets:\n  - triple: x86_64-pc-windows-gnu\n    pbsTriple: x86_64-pc-windows-msvc\n"
                + "    binary: a.exe\n    formats: [zip]\n"
                + "  - triple: x86_64-unknown-linux-gnu\n    binary: a\n    formats: [tar.gz]\n"
                + "    rpath: $ORIGIN/lib\n");
    Matrix matrix = MatrixReader.read(file);
    assertThat(matrix.app().version()).isEqualTo("2.0.0");
    assertThat(matrix.targetFor("x86_64-pc-windows-msvc").orElseThrow().triple())
        .isEqualTo("x86_64-pc-windows-gnu");
    assertThat(matrix.target("x86_64-unknown-linux-gnu").orElseThrow().rpath())
        .isEqualTo("$ORIGIN/lib");
    assertThat(matrix.target("x86_64-unknown-linux-gnu").orElseThrow().pbsTriple())
        .isEqualTo("x86_64-unknown-linux-gnu");
  }

  @Test
  void namesTheFileTheRowAndTheKeyThatIsWrong() throws IOException {
    Path file =
        write(
            "pbs: {date: '20241016', version: 3.11.10}\napp: {name: a}\n"
                + "targets:\n  - triple: x86_64-unknown-linux-gnu\n    binary: a\n    formats: [tar.gz]\n"
                + "  - triple: aarch64-apple-darwin\n    binary: b\n    formats: [dmg]\n");
    assertThatThrownBy(() -> MatrixReader.read(file))
        .isInstanceOf(PbsException.class)
        .hasMessage(
            file
                + ":9: targets[1].formats has unknown format 'dmg'; valid: deb, rpm, tar.gz, zip.");

    Path noBinary =
        write(
            "pbs: {date: '20241016', version: 3.11.10}\napp: {name: a}\n"
                + "targets:\n  - triple: x86_64-unknown-linux-gnu\n    formats: [tar.gz]\n");
    assertThatThrownBy(() -> MatrixReader.read(noBinary))
        .as("a missing key is reported on the line of its row")
        .hasMessage(noBinary + ":4: targets[0].binary is missing; it is required.");

    Path broken = write("pbs: [unclosed\n");
    assertThatThrownBy(() -> MatrixReader.read(broken))
        .hasMessageStartingWith(broken + ": not valid YAML (");

    assertThatThrownBy(() -> MatrixReader.read(dir.resolve("absent.yaml")))
        .hasMessageContaining("absent.yaml: no such matrix file");
  }

  @Test
  void packagingAtTheTopAppliesToEveryRowAndARowChangesSingleKeys() throws Exception {
    Path file =
        write(
            """
            pbs: {date: '20241016', version: 3.11.10}
            app: {name: a}
            packaging:
              section: net
              group: Applications/Internet
              vendor: Example Corp
              depends: [adduser]
              recommends: [ca-certificates]
              files:
                - {source: packaging/a.service, destination: /lib/systemd/system/a.service}
                - source: packaging/a.conf
                  destination: /etc/a/a.conf
                  mode: "0640"
                  config: true
              directories:
                - {path: /var/lib/a, owner: a, group: a, mode: "0750"}
              scripts:
                postinst: packaging/postinst
            targets:
              - {triple: x86_64-unknown-linux-gnu, binary: a, formats: [deb, rpm]}
              - triple: aarch64-unknown-linux-gnu
                binary: b
                formats: [deb]
                packaging: {compression: zstd, recommends: []}
            """);
    Matrix matrix = MatrixReader.read(file);
    Matrix.Packaging x86 = matrix.target("x86_64-unknown-linux-gnu").orElseThrow().packaging();
    assertThat(x86.section()).isEqualTo("net");
    assertThat(x86.group()).isEqualTo("Applications/Internet");
    assertThat(x86.vendor()).isEqualTo("Example Corp");
    assertThat(x86.compression()).isEqualTo("gzip");
    assertThat(x86.depends()).containsExactly("adduser");
    assertThat(x86.files())
        .containsExactly(
            new Matrix.PackagedFile(
                "packaging/a.service", "/lib/systemd/system/a.service", 0644, false),
            new Matrix.PackagedFile("packaging/a.conf", "/etc/a/a.conf", 0640, true));
    assertThat(x86.directories())
        .containsExactly(new Matrix.OwnedDirectory("/var/lib/a", "a", "a", 0750));
    assertThat(x86.scripts()).containsExactly(Map.entry("postinst", "packaging/postinst"));
    Matrix.Packaging arm = matrix.target("aarch64-unknown-linux-gnu").orElseThrow().packaging();
    assertThat(arm.compression()).isEqualTo("zstd");
    assertThat(arm.recommends()).isEmpty();
    assertThat(arm.files()).isEqualTo(x86.files());

    Path plain =
        write(
            "pbs: {date: '1', version: 3.11.10}\napp: {name: a}\n"
                + "targets: [{triple: x86_64-unknown-linux-gnu, binary: a, formats: [deb]}]\n");
    assertThat(MatrixReader.read(plain).targets().get(0).packaging())
        .isEqualTo(Matrix.Packaging.NONE);
  }

  @Test
  void packagingMistakesAreNamedWithTheirLine() throws IOException {
    String head =
        "pbs: {date: '20241016', version: 3.11.10}\napp: {name: a}\n"
            + "targets: [{triple: x86_64-unknown-linux-gnu, binary: a, formats: [deb]}]\n";
    assertThat(problem(head + "packaging:\n  compresion: xz\n"))
        .endsWith(
            ":5: packaging.compresion is not a known key; valid: compression, conflicts, depends,"
                + " directories, files, group, provides, recommends, requires, scripts, section,"
                + " vendor.");
    assertThat(problem(head + "packaging:\n  compression: bzip2\n"))
        .endsWith(":5: packaging.compression is 'bzip2'; valid: gzip, xz, zstd.");
    assertThat(
            problem(
                head
                    + "packaging:\n  files:\n    - {source: a.conf, destination: /etc/a.conf}\n"
                    + "    - {source: b.conf, destination: /etc/b.conf, mode: 0640}\n"))
        .endsWith(":7: packaging.files[1].mode must be an octal mode in quotes, e.g. \"0640\".");
    assertThat(problem(head + "packaging:\n  files:\n    - {source: a, destination: etc/a}\n"))
        .endsWith(
            ":6: packaging.files[0].destination is 'etc/a'; it must be an absolute install path"
                + " like /etc/app.");
    assertThat(problem(head + "packaging:\n  scripts: {postinstall: p.sh}\n"))
        .endsWith(
            ":5: packaging.scripts.postinstall is not a known key; valid: postinst, postrm,"
                + " preinst, prerm.");
    assertThat(problem(head + "packaging:\n  depends: adduser\n"))
        .endsWith(":5: packaging.depends must be a list.");
  }

  @Test
  void namesTemplatesAreCheckedOnLoad() throws Exception {
    String head =
        "pbs: {date: '20241016', version: 3.11.10}\napp: {name: a}\n"
            + "targets: [{triple: x86_64-unknown-linux-gnu, binary: a, formats: [deb]}]\n";
    Matrix matrix =
        MatrixReader.read(
            write(
                head
                    + "names: {rpm: '{name}-{rpmVersion}.el9.{rpmArch}.rpm',"
                    + " tar.gz: '{name}-{version}.tar.gz'}\n"));
    assertThat(matrix.names())
        .containsExactly(
            Map.entry("rpm", "{name}-{rpmVersion}.el9.{rpmArch}.rpm"),
            Map.entry("tar.gz", "{name}-{version}.tar.gz"));
    assertThat(problem(head + "names:\n  rpm: '{name}-{ver}.rpm'\n"))
        .endsWith(
            ":5: names.rpm has unknown placeholder {ver}; valid: arch, debArch, debVersion, name,"
                + " os, platform, rpmArch, rpmRelease, rpmVersion, version.");
    assertThat(problem(head + "names:\n  zip: '{name}.tar.gz'\n"))
        .endsWith(":5: names.zip is '{name}.tar.gz'; it must be a file name ending in .zip.");
    assertThat(problem(head + "names:\n  zip: '{name}.zip'\n  tar.gz: '{name}.tgz'\n"))
        .as("a key with dots in it is found on its own line")
        .endsWith(":6: names.tar.gz is '{name}.tgz'; it must be a file name ending in .tar.gz.");
    assertThat(problem(head + "names:\n  dmg: '{name}.dmg'\n"))
        .endsWith(":5: names.dmg is not a known key; valid: deb, rpm, tar.gz, zip.");
  }

  private String problem(String yaml) throws IOException {
    Path file = write(yaml);
    try {
      MatrixReader.read(file);
    } catch (PbsException e) {
      assertThat(e.getMessage()).startsWith(file + ":");
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + yaml);
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "matrix", ".yaml");
    return Files.writeString(file, yaml);
  }
}
