package dev.pbstoolchain.core.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.core.PbsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixReaderTest {

  /** The pbs and app blocks most matrices here start with (lines 1 and 2). */
  private static final String HEAD = "pbs: {date: '20241016', version: 3.11.10}\napp: {name: a}\n";

  /** One x86_64 Linux row building deb, as a flow sequence on one line. */
  private static final String DEB_ROW =
      "targets: [{triple: x86_64-unknown-linux-gnu, binary: a, formats: [deb]}]\n";

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
            HEAD
                + "targets:\n  - triple: x86_64-unknown-linux-gnu\n    binary: a\n    formats: [tar.gz]\n"
                + "  - triple: aarch64-apple-darwin\n    binary: b\n    formats: [dmg]\n");
    assertThatThrownBy(() -> MatrixReader.read(file))
        .isInstanceOf(PbsException.class)
        .hasMessage(
            file
                + ":9:15: targets[1].formats has unknown format 'dmg'; valid: deb, rpm, tar.gz,"
                + " zip.");

    Path noBinary =
        write(HEAD + "targets:\n  - triple: x86_64-unknown-linux-gnu\n    formats: [tar.gz]\n");
    assertThatThrownBy(() -> MatrixReader.read(noBinary))
        .as("a missing key is reported where its row starts")
        .hasMessage(
            noBinary
                + ":4:5: targets[0].binary is missing; it is required (the built program,"
                + " relative to the project).");

    Path broken = write("pbs: [unclosed\n");
    assertThatThrownBy(() -> MatrixReader.read(broken))
        .hasMessageStartingWith(broken + ":2:1: not valid YAML: ");

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
                  group: a
              directories:
                - {path: /var/lib/a, owner: a, group: a, mode: "0750"}
              symlinks:
                - {path: /usr/bin/a, target: ../lib/a/a}
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
                "packaging/a.service",
                "/lib/systemd/system/a.service",
                0644,
                false,
                "root",
                "root"),
            new Matrix.PackagedFile("packaging/a.conf", "/etc/a/a.conf", 0640, true, "root", "a"));
    assertThat(x86.directories())
        .containsExactly(new Matrix.OwnedDirectory("/var/lib/a", "a", "a", 0750));
    assertThat(x86.symlinks()).containsExactly(new Matrix.Symlink("/usr/bin/a", "../lib/a/a"));
    assertThat(x86.scripts()).containsExactly(Map.entry("postinst", "packaging/postinst"));
    Matrix.Packaging arm = matrix.target("aarch64-unknown-linux-gnu").orElseThrow().packaging();
    assertThat(arm.compression()).isEqualTo("zstd");
    assertThat(arm.recommends()).isEmpty();
    assertThat(arm.files()).isEqualTo(x86.files());
    assertThat(arm.symlinks()).isEqualTo(x86.symlinks());

    Path plain = write(HEAD + DEB_ROW);
    assertThat(MatrixReader.read(plain).targets().get(0).packaging())
        .isEqualTo(Matrix.Packaging.NONE);
  }

  @Test
  void excludeAtTheTopAppliesToEveryRowAndARowAddsItsOwn() throws Exception {
    Path file =
        write(
            """
            pbs: {date: '20241016', version: 3.11.10}
            app: {name: a}
            exclude: [readline]
            targets:
              - {triple: x86_64-unknown-linux-gnu, binary: a, formats: [deb]}
              - {triple: aarch64-unknown-linux-gnu, binary: b, formats: [deb], exclude: [_tkinter, _dbm]}
            """);
    Matrix matrix = MatrixReader.read(file);
    assertThat(matrix.target("x86_64-unknown-linux-gnu").orElseThrow().exclude())
        .containsExactly("readline");
    assertThat(matrix.target("aarch64-unknown-linux-gnu").orElseThrow().exclude())
        .containsExactly("_dbm", "_tkinter", "readline");
    Path bad =
        write(
            "pbs: {date: '20241016', version: 3.11.10}\napp: {name: a}\nexclude: [readline,"
                + " 'lib-dynload/x.so', readline]\n"
                + DEB_ROW);
    assertThatThrownBy(() -> MatrixReader.read(bad))
        .hasMessage(
            bad
                + ":3:21: exclude[1] is 'lib-dynload/x.so'; it must be an extension module name as"
                + " PYTHON.json lists it, e.g. readline or _dbm.\n"
                + bad
                + ":3:41: exclude lists 'readline' twice.");
  }

  @Test
  void packagingMistakesAreNamedWithTheirLine() throws IOException {
    String head = HEAD + DEB_ROW;
    assertThat(problem(head + "packaging:\n  compresion: xz\n"))
        .endsWith(
            ":5:3: unknown key 'compresion' in packaging (did you mean 'compression'?); valid keys:"
                + " changelog, compression, conflicts, depends, directories, files, group,"
                + " provides, recommends, requires, scripts, section, symlinks, systemLibraries,"
                + " vendor.");
    assertThat(problem(head + "packaging:\n  compression: bzip2\n"))
        .endsWith(":5:16: packaging.compression is 'bzip2'; valid: gzip, xz, zstd.");
    assertThat(
            problem(
                head
                    + "packaging:\n  files:\n    - {source: a.conf, destination: /etc/a.conf}\n"
                    + "    - {source: b.conf, destination: /etc/b.conf, mode: 0640}\n"))
        .endsWith(
            ":7:56: packaging.files[1].mode is 0640, which YAML reads as a number; write it in"
                + " quotes: \"0640\".");
    assertThat(problem(head + "packaging:\n  files:\n    - {source: a, destination: etc/a}\n"))
        .endsWith(
            ":6:32: packaging.files[0].destination is 'etc/a'; it must be an absolute install path"
                + " without '..', like /etc/app.");
    assertThat(problem(head + "packaging:\n  scripts: {postinstall: p.sh}\n"))
        .endsWith(
            ":5:13: unknown key 'postinstall' in packaging.scripts (did you mean 'postinst'?);"
                + " valid keys: postinst, postrm, preinst, prerm.");
    assertThat(problem(head + "packaging:\n  depends: adduser\n"))
        .endsWith(":5:12: packaging.depends is text; it must be a list, e.g. [adduser].");
  }

  @Test
  void namesTemplatesAreCheckedOnLoad() throws Exception {
    String head = HEAD + DEB_ROW;
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
            ":5:8: names.rpm has unknown placeholder {ver}; valid: arch, debArch, debVersion,"
                + " name, os, platform, rpmArch, rpmRelease, rpmVersion, version.");
    assertThat(problem(head + "names:\n  zip: '{name}.tar.gz'\n"))
        .endsWith(":5:8: names.zip is '{name}.tar.gz'; it must be a file name ending in .zip.");
    assertThat(problem(head + "names:\n  zip: '{name}.zip'\n  tar.gz: '{name}.tgz'\n"))
        .as("a key with dots in it is found on its own line")
        .endsWith(":6:11: names.tar.gz is '{name}.tgz'; it must be a file name ending in .tar.gz.");
    assertThat(problem(head + "names:\n  dmg: '{name}.dmg'\n"))
        .endsWith(":5:3: unknown key 'dmg' in names; valid keys: deb, rpm, tar.gz, zip.");
  }

  @Test
  void anUnknownKeyAnywhereStopsTheBuildAtItsLineAndColumnWithTheValidKeys() throws IOException {
    // The typos of issue #20, which used to pass silently.
    String ok =
        """
        pbs: {date: '20241016', version: 3.11.10}
        app:
          name: a
          maintaner: Jane Doe <jane@example.com>
        packging:
          depends: [adduser]
        targets:
          - triple: x86_64-pc-windows-gnu
            pbs_triple: x86_64-pc-windows-msvc
            rpth: $ORIGIN/lib
            binary: a.exe
            formats: [zip]
        """;
    Path file = write(ok);
    assertThatThrownBy(() -> MatrixReader.read(file))
        .hasMessage(
            String.join(
                "\n",
                file
                    + ":4:3: unknown key 'maintaner' in app (did you mean 'maintainer'?); valid"
                    + " keys: description, homepage, license, longDescription, maintainer, name,"
                    + " version.",
                file
                    + ":5:1: unknown key 'packging' at the top level (did you mean 'packaging'?);"
                    + " valid keys: app, exclude, image, names, packaging, pbs, smoke, targets.",
                file
                    + ":9:5: unknown key 'pbs_triple' in targets[0] (did you mean 'pbsTriple'?);"
                    + " valid keys: binary, exclude, formats, packaging, pbsTriple, rpath, runner, smoke, triple.",
                file
                    + ":10:5: unknown key 'rpth' in targets[0] (did you mean 'rpath'?); valid keys:"
                    + " binary, exclude, formats, packaging, pbsTriple, rpath, runner, smoke, triple."));
    assertThat(
            problem(
                ok.replace("  maintaner", "  maintainer")
                        .replace("packging", "packaging")
                        .replace("pbs_triple", "pbsTriple")
                        .replace("rpth", "rpath")
                    + "maintainer: x\n"))
        .as("a key in the wrong block says where it belongs")
        .endsWith(
            ":13:1: unknown key 'maintainer' at the top level (it belongs in app); valid keys: app,"
                + " exclude, image, names, packaging, pbs, smoke, targets.");
    assertThat(
            problem(
                ok.replace("  maintaner", "  maintainer")
                    .replace("packging", "packaging")
                    .replace("pbs_triple", "pbsTriple")
                    .replace("rpth", "rpath")
                    .replace(
                        "  - triple: x86_64-pc-windows-gnu\n",
                        "  - triple: x86_64-pc-windows-gnu\n    <<: {binary: b}\n")))
        .contains(":9:5: merge keys (<<) are not supported in targets[0]; write the keys out.");
  }

  @Test
  void syntaxErrorsKeepTheirLineAndColumn() throws IOException {
    assertThat(problem("pbs:\n  date: '20241016'\n\tversion: 3.11.10\n"))
        .endsWith(
            ":3:1: not valid YAML: a tab character cannot start a token. Indent with spaces; YAML"
                + " does not allow tabs.");
    assertThat(problem("app:\n  description: Runs: plugins\n"))
        .endsWith(
            ":2:20: not valid YAML: mapping values are not allowed here. Put a value that holds"
                + " ': ' in quotes, or check the indentation above.");
    assertThat(problem("pbs: {date: '20241016'\n")).contains(":2:1: not valid YAML: ");
    assertThat(problem("pbs: {}\n---\napp: {}\n"))
        .endsWith(
            ":2:1: not valid YAML: expected a single document in the stream, but found another"
                + " document. Keep one document: remove the '---' separator.");
    assertThat(problem(""))
        .endsWith(":1:1: the file is empty; it must be a mapping with keys pbs, app and targets.");
  }

  @Test
  void valuesYamlReadsAsSomethingElseAreRefusedWithTheQuotesToAdd() throws Exception {
    assertThat(problem("pbs: {date: '20241016', version: 3.10}\napp: {name: a}\n" + DEB_ROW))
        .as("3.10 would become the number 3.1")
        .endsWith(
            ":1:34: pbs.version is 3.10, which YAML reads as a number; write it in quotes:"
                + " \"3.10\".");
    assertThat(problem("pbs: {date: '20241016', version: 3.11.10}\napp: {name: no}\n" + DEB_ROW))
        .as("YAML 1.1's Norway problem")
        .endsWith(
            ":2:13: app.name is no, which YAML reads as a boolean; write it in quotes: \"no\".");
    assertThat(problem("pbs: {date: 2024-10-16, version: 3.11.10}\napp: {name: a}\n" + DEB_ROW))
        .endsWith(
            ":1:13: pbs.date is 2024-10-16, which YAML reads as a timestamp; write it in quotes:"
                + " \"2024-10-16\".");
    assertThat(problem("pbs: {date: '2024-10-16', version: 3.11.10}\napp: {name: a}\n" + DEB_ROW))
        .endsWith(
            ":1:13: pbs.date is '2024-10-16'; it must be a python-build-standalone release tag: 8"
                + " digits such as \"20241016\".");
    assertThat(problem("pbs: {date: '20241016', version: 3.11.10}\napp:\n" + DEB_ROW))
        .endsWith(
            ":2:5: app is empty; it must be a mapping with keys name, description,"
                + " longDescription, maintainer, homepage, license, version.");
    Matrix unquoted =
        MatrixReader.read(
            write("pbs: {date: 20241016, version: 3.11.10}\napp: {name: a}\n" + DEB_ROW));
    assertThat(unquoted.date()).as("a date tag may go unquoted").isEqualTo("20241016");
  }

  @Test
  void aMisspeltTripleIsBlamedOnMatrixYamlWithTheNearestPublishedOne() throws IOException {
    String head = "pbs: {date: '20241016', version: 3.11.10}\napp: {name: a}\ntargets:\n";
    assertThat(
            problem(head + "  - {triple: x86_64-unknown-linux-gun, binary: a, formats: [deb]}\n"))
        .endsWith(
            ":4:14: targets[0].triple is 'x86_64-unknown-linux-gun', which python-build-standalone"
                + " does not publish (did you mean 'x86_64-unknown-linux-gnu'?); give a published"
                + " triple, or add pbsTriple with the build to ship for this app triple.");
    assertThat(
            problem(
                head
                    + "  - {triple: x86_64-pc-windows-gnu, pbsTriple: x86_64-pc-windows-msv,"
                    + " binary: a, formats: [zip]}\n"))
        .contains(
            ":4:48: targets[0].pbsTriple is 'x86_64-pc-windows-msv' (did you mean"
                + " 'x86_64-pc-windows-msvc'?); valid: aarch64-apple-darwin,");
    assertThat(
            problem(
                head
                    + "  - {triple: x86_64-unknown-linux-gnu, binary: a, formats: [deb]}\n"
                    + "  - {triple: x86_64-unknown-linux-gnu, binary: b, formats: [rpm]}\n"))
        .endsWith(
            ":5:14: targets[1].triple repeats x86_64-unknown-linux-gnu of line 4; list each"
                + " triple once.");
  }

  @Test
  void duplicateKeysAreRefusedNamingTheFirst() throws IOException {
    assertThat(
            problem(
                "pbs: {date: '20241016', version: 3.11.10}\napp: {name: a}\napp: {name: b}\n"
                    + DEB_ROW))
        .endsWith(":3:1: duplicate key 'app' at the top level (first at line 2).");
  }

  @Test
  void anchorsAndAliasesAreResolved() throws Exception {
    Matrix matrix =
        MatrixReader.read(
            write(
                """
                pbs: {date: '20241016', version: 3.11.10}
                app: {name: a}
                targets:
                  - {triple: x86_64-unknown-linux-gnu, binary: a, formats: &linux [tar.gz, deb]}
                  - {triple: aarch64-unknown-linux-gnu, binary: b, formats: *linux}
                """));
    assertThat(matrix.targets().get(1).formats()).containsExactly("tar.gz", "deb");
  }

  @Test
  void everyRowAndValueKeepsItsPlaceForLaterMessages() throws Exception {
    Path file = Path.of("../matrix.yaml");
    Matrix matrix = MatrixReader.read(file);
    String text = Files.readString(file);
    Matrix.Target darwin = matrix.target("aarch64-apple-darwin").orElseThrow();
    assertThat(darwin.line()).isEqualTo(lineOf(text, "  - triple: aarch64-apple-darwin"));
    assertThat(darwin.source("formats"))
        .isEqualTo(new Source(file.toString(), darwin.line() + 2, 14));
    assertThat(darwin.source().toString()).isEqualTo(file + ":" + darwin.line() + ":5");
    assertThat(matrix.source("app.maintainer").line()).isEqualTo(lineOf(text, "  maintainer:"));
    assertThat(matrix.source("app.license"))
        .as("a key the file leaves out is placed at its block")
        .isEqualTo(matrix.source("app"));
  }

  private static int lineOf(String text, String start) {
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(start)) {
        return i + 1;
      }
    }
    throw new AssertionError(start);
  }

  @Test
  void smokeRunsAreReadForEveryRowAndEachRowCanChangeSingleKeys() throws Exception {
    Path file =
        write(
            HEAD
                + "smoke: {args: [--version], expect: 'plugin: python 3\\.11'}\n"
                + "targets:\n"
                + "  - {triple: x86_64-unknown-linux-gnu, binary: a, formats: [tar.gz]}\n"
                + "  - triple: aarch64-unknown-linux-gnu\n"
                + "    binary: b\n"
                + "    formats: [deb]\n"
                + "    smoke: {timeout: 2m}\n");
    Matrix matrix = MatrixReader.read(file);
    Matrix.Smoke x86 = matrix.targets().get(0).smoke().orElseThrow();
    assertThat(x86.args()).containsExactly("--version");
    assertThat(x86.expect()).isEqualTo("plugin: python 3\\.11");
    assertThat(x86.timeout()).isEqualTo(Duration.ofSeconds(30));
    Matrix.Smoke arm = matrix.targets().get(1).smoke().orElseThrow();
    assertThat(arm.args()).containsExactly("--version");
    assertThat(arm.expect()).isEqualTo(x86.expect());
    assertThat(arm.timeout()).isEqualTo(Duration.ofMinutes(2));

    Path none = write(HEAD + DEB_ROW);
    assertThat(MatrixReader.read(none).targets().get(0).smoke()).isEmpty();
    Path rowOnly =
        write(
            HEAD
                + "targets: [{triple: x86_64-unknown-linux-gnu, binary: a, formats: [deb],"
                + " smoke: {timeout: 1500ms}}]\n");
    Matrix.Smoke alone = MatrixReader.read(rowOnly).targets().get(0).smoke().orElseThrow();
    assertThat(alone.args()).isEmpty();
    assertThat(alone.expect()).isEmpty();
    assertThat(alone.timeout()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void smokeMistakesAreNamedWithTheirLine() throws IOException {
    String head = HEAD + DEB_ROW;
    assertThat(problem(head + "smoke: {expect: 'a(b'}\n"))
        .endsWith(
            ":4:17: smoke.expect is not a regular expression (Unclosed group near index 3); write"
                + " it in single quotes so YAML keeps its backslashes.");
    assertThat(problem(head + "smoke: {timeout: soon}\n"))
        .endsWith(
            ":4:18: smoke.timeout is 'soon'; it must be a duration such as 30s, 2m or 1500ms.");
    assertThat(problem(head + "smoke: {arguments: [-V]}\n"))
        .contains(":4:9: unknown key 'arguments' in smoke");
  }

  @Test
  void systemLibrariesAreReadInOrderAndCheckedOnLoad() throws Exception {
    Path file =
        write(
            HEAD
                + "packaging:\n"
                + "  systemLibraries:\n"
                + "    - {soname: libssl.so.3, deb: libssl3}\n"
                + "    - {soname: libcrypto.so.3, deb: 'libssl3 (>= 3.0.0)'}\n"
                + DEB_ROW);
    assertThat(MatrixReader.read(file).targets().get(0).packaging().systemLibraries())
        .containsExactly(
            Map.entry("libssl.so.3", "libssl3"), Map.entry("libcrypto.so.3", "libssl3 (>= 3.0.0)"));

    String head = HEAD + DEB_ROW + "packaging:\n  systemLibraries:\n";
    assertThat(problem(head + "    - {soname: ssl, deb: libssl3}\n"))
        .endsWith(
            ":6:16: packaging.systemLibraries[0].soname is 'ssl'; it must be the library's soname,"
                + " as readelf -d shows it under NEEDED (e.g. libssl.so.3).");
    assertThat(problem(head + "    - {soname: libssl.so.3, deb: 'libssl3 >= 3'}\n"))
        .endsWith(
            ":6:34: packaging.systemLibraries[0].deb is 'libssl3 >= 3'; it must be the Debian"
                + " package providing the library (dpkg -S SONAME), e.g. libssl3 or 'libssl3 (>="
                + " 3.0.0)'.");
    assertThat(problem(head + "    - {soname: libssl.so.3}\n"))
        .contains("packaging.systemLibraries[0].deb is missing");
  }

  @Test
  void theLongDescriptionAndTheChangelogAreRead() throws Exception {
    Path file =
        write(
            "pbs: {date: '20241016', version: 3.11.10}\n"
                + "app:\n  name: a\n  longDescription: >\n    One paragraph\n    folded.\n\n"
                + "    Another.\n"
                + "packaging: {changelog: debian/changelog}\n"
                + "targets:\n  - {triple: x86_64-unknown-linux-gnu, binary: a, formats: [deb]}\n"
                + "  - triple: aarch64-unknown-linux-gnu\n    binary: b\n    formats: [deb]\n"
                + "    packaging: {changelog: arm/changelog}\n");
    Matrix matrix = MatrixReader.read(file);
    assertThat(matrix.app().longDescription()).isEqualTo("One paragraph folded.\nAnother.");
    assertThat(matrix.target("x86_64-unknown-linux-gnu").orElseThrow().packaging().changelog())
        .isEqualTo("debian/changelog");
    assertThat(matrix.target("aarch64-unknown-linux-gnu").orElseThrow().packaging().changelog())
        .isEqualTo("arm/changelog");
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
