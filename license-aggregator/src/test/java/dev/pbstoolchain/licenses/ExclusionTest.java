package dev.pbstoolchain.licenses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.licenses.model.Exclusion;
import dev.pbstoolchain.licenses.model.PythonJson;
import dev.pbstoolchain.licenses.report.Policy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leaving extension modules out: of LICENSE.md, licenses/, the SBOM, the policy and the tree. */
class ExclusionTest {

  static final String DYNLOAD = "lib/python3.11/lib-dynload/";
  static final String SUFFIX = ".cpython-311-x86_64-linux-gnu.so";

  @TempDir Path work;
  Path archive;

  /** A release whose readline is GNU readline (GPL-3.0-or-later) built as a shared library. */
  @BeforeEach
  void archive() throws Exception {
    archive =
        FullArchiveBuilder.build(
            work,
            FullArchiveBuilder.LINUX_FULL,
            FullArchiveBuilder.resource("linux-shared-readline.json"),
            0,
            List.of(FullArchiveBuilder.READLINE_GPL));
  }

  LicenseAggregator.Result run(String out, Set<String> exclude, Policy policy) throws Exception {
    Path dir = work.resolve(out);
    return LicenseAggregator.run(
        LicenseAggregator.Request.builder(archive, dir.resolve("python"))
            .sbom(dir.resolve("sbom.cdx.json"))
            .policy(policy)
            .exclude(exclude)
            .build());
  }

  @Test
  void excludingReadlineRemovesItsFileAndTheGplTextAndADenyThenPasses() throws Exception {
    Policy denyGpl = new Policy(Set.of("GPL-3.0-or-later"), Set.of());

    LicenseAggregator.Result shipped = run("all", Set.of(), denyGpl);
    assertThat(shipped.verdict().violations())
        .containsExactly("readline (GPL-3.0-or-later), pulled in by readline: denied");
    assertThat(Files.readString(work.resolve("all/python/LICENSE.md")))
        .contains("GNU GENERAL PUBLIC LICENSE", "| readline | GPL-3.0-or-later | readline |");
    assertThat(work.resolve("all/python/licenses/LICENSE.readline.txt")).exists();
    assertThat(run("warned", Set.of(), Policy.none()).verdict().warnings())
        .contains(
            "readline (GPL-3.0-or-later), pulled in by readline: a copyleft or source-disclosure"
                + " licence; add readline to `exclude` in matrix.yaml to leave it out");

    LicenseAggregator.Result excluded = run("out", Set.of("readline"), denyGpl);

    assertThat(excluded.verdict().passed()).isTrue();
    assertThat(excluded.exclusion().modules()).containsExactly("readline");
    assertThat(excluded.exclusion().shippedPaths()).containsExactly(DYNLOAD + "readline" + SUFFIX);
    String md = Files.readString(work.resolve("out/python/LICENSE.md"));
    assertThat(md).doesNotContain("GNU GENERAL PUBLIC LICENSE", "readline", "GPL-3.0");
    // ncurses stays: _curses still uses it.
    assertThat(md).contains("| ncurses | X11 | _curses | licenses/LICENSE.ncurses.txt |");
    assertThat(work.resolve("out/python/licenses/LICENSE.readline.txt")).doesNotExist();
    assertThat(work.resolve("out/python/licenses/LICENSE.ncurses.txt")).exists();
    String sbom = Files.readString(work.resolve("out/sbom.cdx.json"));
    assertThat(sbom).doesNotContain("readline", "GPL-3.0");
    assertThat(
            new JsonParser()
                .validate(work.resolve("out/sbom.cdx.json").toFile(), Version.VERSION_15))
        .isEmpty();
    // What stays is what a run without readline in the release would write.
    assertThat(excluded.components())
        .containsExactlyElementsOf(
            shipped.components().stream().filter(c -> !c.name().equals("readline")).toList());
  }

  @Test
  void excludingTkinterListsItsTclDirectoriesAndDropsTheTextsOnlyItUses() throws Exception {
    LicenseAggregator.Result result = run("out", Set.of("_tkinter", "_dbm"), Policy.none());

    assertThat(result.exclusion().shippedPaths())
        .containsExactly(
            DYNLOAD + "_dbm" + SUFFIX,
            DYNLOAD + "_tkinter" + SUFFIX,
            "lib/tcl8.6/",
            "lib/tix8.4.3/",
            "lib/tk8.6/");
    assertThat(work.resolve("out/python/licenses"))
        .isDirectoryNotContaining("glob:**/LICENSE.{tcl,tix,libX11,libXau,libxcb,bdb}.txt")
        .isDirectoryContaining("glob:**/LICENSE.openssl-1.1.txt");
    assertThat(result.verdict().warnings()).noneMatch(w -> w.contains("Sleepycat"));
  }

  @Test
  void aModuleCompiledIntoLibpythonCannotBeExcluded() {
    assertThatThrownBy(() -> run("out", Set.of("_ssl"), Policy.none()))
        .isInstanceOf(LicenseException.class)
        .hasMessage(
            archive
                + ": extension module _ssl cannot be excluded: it is compiled into libpython in"
                + " this build (PYTHON.json /build_info/extensions/_ssl/0 has no shared_lib), so"
                + " its code and its licence ship with every binary. Remove _ssl from `exclude` in"
                + " matrix.yaml for this target.");
    assertThat(work.resolve("out")).doesNotExist();
  }

  @Test
  void aNameTheBuildDoesNotHaveIsAWarning() throws Exception {
    LicenseAggregator.Result result = run("out", Set.of("readlin"), Policy.none());
    assertThat(result.warnings())
        .contains(
            "`exclude` in matrix.yaml names readlin, which "
                + archive.getFileName()
                + " has no extension module of: nothing to leave out here (check the spelling if"
                + " no target has it)");
    assertThat(result.exclusion().absent()).containsExactly("readlin");
  }

  /**
   * Windows: modules are .pyd files, and the DLLs they link go when no shipped module needs them.
   */
  @Test
  void aDllGoesOnlyWhenNoShippedModuleLinksIt() throws Exception {
    String json =
        """
        {"version": "8", "build_info": {"core": {"links": []}, "extensions": {
          "_ssl": [{"shared_lib": "install/DLLs/_ssl.pyd", "links": [
            {"name": "libssl-3", "path_dynamic": "install/DLLs/libssl-3.dll"},
            {"name": "libcrypto-3", "path_dynamic": "install/DLLs/libcrypto-3.dll"}]}],
          "_hashlib": [{"shared_lib": "install/DLLs/_hashlib.pyd", "links": [
            {"name": "libcrypto-3", "path_dynamic": "install/DLLs/libcrypto-3.dll"}]}],
          "_socket": [{"in_core": true}]}}}
        """;
    PythonJson parsed = PythonJson.parse(json.getBytes(StandardCharsets.UTF_8), "w.tar.zst");

    assertThat(Exclusion.plan(parsed, Set.of("_ssl"), "w", "--exclude").shippedPaths())
        .containsExactly("DLLs/_ssl.pyd", "DLLs/libssl-3.dll");
    assertThat(Exclusion.plan(parsed, Set.of("_ssl", "_hashlib"), "w", "--exclude").shippedPaths())
        .containsExactly(
            "DLLs/_hashlib.pyd", "DLLs/_ssl.pyd", "DLLs/libcrypto-3.dll", "DLLs/libssl-3.dll");
    assertThatThrownBy(() -> Exclusion.plan(parsed, Set.of("_socket"), "w", "--exclude"))
        .hasMessageContaining("(PYTHON.json /build_info/extensions/_socket/0 is in_core)");
  }
}
