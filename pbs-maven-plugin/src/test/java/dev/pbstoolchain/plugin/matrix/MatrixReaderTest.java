package dev.pbstoolchain.plugin.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.plugin.pbs.PbsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
            file + ": targets[1].formats has unknown format 'dmg'; valid: deb, rpm, tar.gz, zip.");

    Path noBinary =
        write(
            "pbs: {date: '20241016', version: 3.11.10}\napp: {name: a}\n"
                + "targets:\n  - triple: x86_64-unknown-linux-gnu\n    formats: [tar.gz]\n");
    assertThatThrownBy(() -> MatrixReader.read(noBinary))
        .hasMessage(noBinary + ": targets[0].binary is missing; it is required.");

    Path broken = write("pbs: [unclosed\n");
    assertThatThrownBy(() -> MatrixReader.read(broken))
        .hasMessageStartingWith(broken + ": not valid YAML (");

    assertThatThrownBy(() -> MatrixReader.read(dir.resolve("absent.yaml")))
        .hasMessageContaining("absent.yaml: no such matrix file");
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "matrix", ".yaml");
    return Files.writeString(file, yaml);
  }
}
