package dev.pbstoolchain.binarypatcher.elf;

import static dev.pbstoolchain.binarypatcher.testing.OurCli.cli;
import static dev.pbstoolchain.binarypatcher.testing.OurCli.cliOut;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.binarypatcher.testing.Hello;
import dev.pbstoolchain.binarypatcher.testing.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same patchelf command run by real patchelf and by our CLI must give files that readelf sees
 * the same way, that still run, and that still run after {@code strip}.
 */
class ElfEditorTest {

  static final String BUNDLE_RPATH = "$ORIGIN/python/lib:$ORIGIN/../lib/APP/python/lib";

  @TempDir static Path built;

  /** gcc builds covering PIE, non-PIE, BIND_NOW+RELRO, DT_RPATH, DT_RUNPATH and a library. */
  @BeforeAll
  static void compile() {
    String hello = Tool.source("hello.c").toString();
    gcc("pie", "-o", "pie", hello);
    gcc("nopie", "-no-pie", "-o", "nopie", hello);
    gcc("now", "-Wl,-z,now", "-Wl,-z,relro", "-o", "now", hello);
    gcc("rpath", "-Wl,--disable-new-dtags", "-Wl,-rpath,/opt/old/rpath/lib", "-o", "rpath", hello);
    gcc("runpath", "-Wl,--enable-new-dtags", "-Wl,-rpath,/opt/x", "-o", "runpath", hello);
    gcc(
        "lib",
        "-shared",
        "-fPIC",
        "-Wl,-soname,libanswer.so.1",
        "-o",
        "libanswer.so",
        Tool.source("lib.c").toString());
  }

  static void gcc(String name, String... args) {
    List<String> command = new ArrayList<>(List.of("gcc", "-O1"));
    command.addAll(List.of(args));
    Tool.run(built, java.util.Map.of(), command.toArray(String[]::new)).orFail();
  }

  static Stream<Arguments> cases() {
    List<String> programs = List.of("pie", "nopie", "now", "rpath", "runpath");
    List<List<String>> edits =
        List.of(
            List.of("--set-rpath", BUNDLE_RPATH),
            List.of("--set-rpath", "/x"),
            List.of("--add-rpath", "$ORIGIN/extra"),
            List.of("--force-rpath", "--set-rpath", "$ORIGIN/lib"),
            List.of("--remove-rpath"),
            // One call for us; patchelf 0.14.3 gets this combination wrong in one call (it writes
            // the new library's name as the RUNPATH), so its reference is made in two calls.
            List.of("--add-needed", "libm.so.6", "|", "--set-rpath", BUNDLE_RPATH),
            List.of("--remove-needed", "libm.so.6"),
            List.of("--set-interpreter", "/lib64/./././././././././././ld-linux-x86-64.so.2"),
            List.of("--set-interpreter", "/lib64/ld-linux-x86-64.so.2"));
    List<Arguments> cases = new ArrayList<>();
    for (String program : programs) {
      for (List<String> edit : edits) {
        cases.add(Arguments.of(program, edit, true));
      }
    }
    cases.add(
        Arguments.of("libanswer.so", List.of("--set-soname", "libanswer-longer.so.1"), false));
    cases.add(Arguments.of("libanswer.so", List.of("--set-rpath", BUNDLE_RPATH), false));
    cases.add(
        Arguments.of("pie", List.of("--replace-needed", "libc.so.6", "libc-renamed.so.6"), false));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void matchesPatchelfAndStillRuns(
      String program, List<String> edit, boolean runs, @TempDir Path work) throws IOException {
    Path ours = copy(program, work.resolve("ours"));
    Path theirs = copy(program, work.resolve("theirs"));

    List<String> patchelf = new ArrayList<>(List.of("patchelf"));
    for (String arg : edit) {
      if (arg.equals("|")) {
        patchelf.add(theirs.toString());
        Tool.run(patchelf.toArray(String[]::new)).orFail();
        patchelf = new ArrayList<>(List.of("patchelf"));
      } else {
        patchelf.add(arg);
      }
    }
    patchelf.add(theirs.toString());
    Tool.run(patchelf.toArray(String[]::new)).orFail();
    List<String> args = new ArrayList<>(List.of("patchelf"));
    edit.stream().filter(a -> !a.equals("|")).forEach(args::add);
    args.add(ours.toString());
    assertThat(cli(args.toArray(String[]::new))).isEqualTo("exit 0");

    DynamicView.assertSame(ours, theirs);
    // patchelf itself reads our output back the same way.
    for (String print : List.of("--print-rpath", "--print-needed", "--print-soname")) {
      assertThat(Tool.run("patchelf", print, ours.toString()).orFail().stdout())
          .isEqualTo(Tool.run("patchelf", print, theirs.toString()).orFail().stdout());
    }
    if (runs) {
      Hello.assertRuns(ours);
      Path stripped = work.resolve("stripped");
      Tool.run("strip", "-o", stripped.toString(), ours.toString()).orFail();
      Hello.assertRuns(stripped);
    }
  }

  /**
   * Flags patchelf 0.14.3 has, on files where the edit fits in place (DT_FLAGS_1 already there):
   * both must write the same bytes.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("inPlaceFlags")
  void inPlaceFlagsWriteTheBytesPatchelfWrites(
      String program, List<String> edit, @TempDir Path work) throws IOException {
    Path ours = copy(program, work.resolve("ours"));
    Path theirs = copy(program, work.resolve("theirs"));
    List<String> patchelf = new ArrayList<>(List.of("patchelf"));
    patchelf.addAll(edit);
    patchelf.add(theirs.toString());
    Tool.run(patchelf.toArray(String[]::new)).orFail();
    List<String> args = new ArrayList<>(List.of("patchelf"));
    args.addAll(edit);
    args.add(ours.toString());
    assertThat(cli(args.toArray(String[]::new))).isEqualTo("exit 0");
    assertThat(Files.mismatch(ours, theirs)).isEqualTo(-1L);
    assertThat(Files.mismatch(ours, built.resolve(program))).isNotEqualTo(-1L);
  }

  static Stream<Arguments> inPlaceFlags() {
    return Stream.of(
        Arguments.of("pie", List.of("--clear-symbol-version", "puts")),
        Arguments.of("nopie", List.of("--clear-symbol-version", "puts")),
        Arguments.of("now", List.of("--no-default-lib")),
        Arguments.of("pie", List.of("--no-default-lib")));
  }

  /**
   * Flags newer than the machine's patchelf (0.14.3), judged by readelf and by running the result:
   * EI_OSABI, PT_GNU_STACK (flipped, and added when missing), DT_DEBUG, and {@code @FILE} values.
   */
  @Test
  void osAbiExecstackDebugTagAndArgumentFiles(@TempDir Path work) throws Exception {
    Path pie = copy("pie", work);
    assertThat(cliOut("patchelf", "--print-os-abi", "--print-execstack", pie.toString()))
        .isEqualTo("System V\nexecstack: -\n");
    assertThat(cli("patchelf", "--set-os-abi", "FreeBSD", "--set-execstack", pie.toString()))
        .isEqualTo("exit 0");
    assertThat(Tool.run("readelf", "-hlW", pie.toString()).orFail().stdout())
        .contains("OS/ABI:                            UNIX - FreeBSD")
        .containsPattern("GNU_STACK .* RWE ");
    assertThat(cliOut("patchelf", "--print-os-abi", "--print-execstack", pie.toString()))
        .isEqualTo("FreeBSD\nexecstack: X\n");
    assertThat(cli("patchelf", "--set-os-abi", "sysv", "--clear-execstack", pie.toString()))
        .isEqualTo("exit 0");
    assertThat(Files.mismatch(pie, built.resolve("pie"))).isEqualTo(-1L);

    // Without PT_GNU_STACK (turned into PT_NULL here) the header is added and the table grows.
    Path noStack = work.resolve("no-stack");
    Files.copy(built.resolve("pie"), noStack);
    ElfFile elf = ElfFile.read(noStack);
    ElfPatches.nullProgramHeader(
        noStack, elf, ElfPatches.programHeader(elf, ProgramHeader.PT_GNU_STACK));
    assertThat(cliOut("patchelf", "--print-execstack", noStack.toString()))
        .isEqualTo("execstack: ?\n");
    assertThat(cli("patchelf", "--clear-execstack", "--add-debug-tag", noStack.toString()))
        .isEqualTo("exit 0");
    assertThat(Tool.run("readelf", "-lW", noStack.toString()).orFail().stdout())
        .containsPattern("GNU_STACK .* RW  0x1");
    assertThat(Tool.run("readelf", "-d", noStack.toString()).orFail().stdout()).contains("(DEBUG)");
    Hello.assertRuns(noStack);

    Path rpathFile = work.resolve("rpath.txt");
    Files.writeString(rpathFile, BUNDLE_RPATH);
    assertThat(cli("patchelf", "--set-rpath", "@" + rpathFile, pie.toString())).isEqualTo("exit 0");
    assertThat(cliOut("patchelf", "--print-rpath", pie.toString())).isEqualTo(BUNDLE_RPATH + "\n");
    assertThat(cli("patchelf", "--set-rpath", "@" + work.resolve("missing"), pie.toString()))
        .isEqualTo(
            "exit 1: patchelf: getting info about '"
                + work.resolve("missing")
                + "': No such file or directory\n");
    assertThat(cli("patchelf", "--set-os-abi", "plan9", pie.toString()))
        .isEqualTo("exit 1: patchelf: unrecognized OS ABI\n");
  }

  /**
   * Data linked far above the text (as ia64 always does): the new segment goes after the last one
   * in memory but right after the end of the file, not at the same distance in the file.
   */
  @Test
  void segmentsFarApartInMemoryDoNotGrowTheFile(@TempDir Path work) throws IOException {
    gcc("far", "-no-pie", "-Wl,-Tdata=0x10000000", "-o", "far", Tool.source("hello.c").toString());
    Path far = copy("far", work);
    assertThat(
            cli(
                "patchelf",
                "--set-rpath",
                BUNDLE_RPATH + ":/a/path/that/cannot/fit",
                far.toString()))
        .isEqualTo("exit 0");
    assertThat(Files.size(far)).isLessThan(Files.size(built.resolve("far")) + 64 * 1024);
    assertThat(Tool.run("patchelf", "--print-rpath", far.toString()).orFail().stdout())
        .isEqualTo(BUNDLE_RPATH + ":/a/path/that/cannot/fit\n");
    Hello.assertRuns(far);
  }

  /** A replaced search path that nothing else uses is overwritten, so no build path leaks. */
  @Test
  void theOldSearchPathLeavesNoTrace(@TempDir Path work) throws IOException {
    Path ours = copy("rpath", work.resolve("ours"));
    Path theirs = copy("rpath", work.resolve("theirs"));
    String longer = BUNDLE_RPATH + ":/opt/a/much/longer/path/than/the/old/one";
    Tool.run("patchelf", "--set-rpath", longer, theirs.toString()).orFail();
    assertThat(cli("patchelf", "--set-rpath", longer, ours.toString())).isEqualTo("exit 0");
    for (Path file : List.of(ours, theirs)) {
      assertThat(Tool.run("strings", file.toString()).orFail().stdout())
          .doesNotContain("/opt/old/rpath/lib")
          .contains(longer);
    }
    Hello.assertRuns(ours);
  }

  /**
   * The linker merges string tails: with the search path {@code /opt/GLIBC_2.34}, the version name
   * GLIBC_2.34 is the end of that string. Replacing the path must leave it readable.
   */
  @Test
  void anOldSearchPathThatHoldsAVersionNameIsKept(@TempDir Path work) throws IOException {
    gcc("vtail", "-Wl,-rpath,/opt/GLIBC_2.34", "-o", "vtail", Tool.source("hello.c").toString());
    assertThat(
            Tool.run("readelf", "-p", ".dynstr", built.resolve("vtail").toString())
                .orFail()
                .stdout())
        .contains("/opt/GLIBC_2.34");
    Path app = copy("vtail", work);
    assertThat(cli("patchelf", "--set-rpath", BUNDLE_RPATH + ":/a/longer/path", app.toString()))
        .isEqualTo("exit 0");
    assertThat(Tool.run("readelf", "-V", app.toString()).orFail().stdout())
        .contains("Name: GLIBC_2.34");
    Hello.assertRuns(app);
  }

  /**
   * --rename-dynamic-symbols, judged by the loader: a program is linked against the new name, and
   * 60 other symbols (hash lookups after the GNU table was regrouped) and a call inside the library
   * through its PLT (relocations renumbered) still resolve. For each hash style, and together with
   * a search path that makes the tables move.
   */
  @ParameterizedTest(name = "--hash-style={0} {1}")
  @MethodSource("hashStyles")
  void renamedDynamicSymbolsResolveThroughEveryHashTable(
      String style, List<String> more, @TempDir Path work) throws IOException {
    StringBuilder lib = new StringBuilder();
    StringBuilder main = new StringBuilder("#include <stdio.h>\n");
    StringBuilder sum = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      lib.append("int f").append(i).append("(void) { return ").append(i).append("; }\n");
      main.append("int f").append(i).append("(void);\n");
      sum.append(" s += f").append(i).append("();");
    }
    lib.append(
        "int answer(void) { return f41() + 1; }\nint twice(void) { return answer() * 2; }\n");
    main.append("int renamed_answer_with_a_longer_name(void);\nint twice(void);\n")
        .append("int main(void) { long s = 0;")
        .append(sum)
        .append(" printf(\"%ld %d %d\\n\", s, renamed_answer_with_a_longer_name(), twice());")
        .append(" return 0; }\n");
    Files.writeString(work.resolve("lib.c"), lib);
    Files.writeString(work.resolve("main.c"), main);
    Files.writeString(work.resolve("map"), "answer renamed_answer_with_a_longer_name\n");
    Tool.run(
            work,
            Map.of(),
            "gcc",
            "-shared",
            "-fPIC",
            "-Wl,--hash-style=" + style,
            "-o",
            "libx.so",
            "lib.c")
        .orFail();
    List<String> args =
        new ArrayList<>(
            List.of("patchelf", "--rename-dynamic-symbols", work.resolve("map").toString()));
    args.addAll(more);
    args.add(work.resolve("libx.so").toString());
    assertThat(cli(args.toArray(String[]::new))).isEqualTo("exit 0");
    assertThat(Tool.run("nm", "-D", work.resolve("libx.so").toString()).orFail().stdout())
        .contains(" T renamed_answer_with_a_longer_name\n")
        .doesNotContain(" T answer\n");
    Tool.run(work, Map.of(), "gcc", "-o", "main", "main.c", "-L.", "-lx").orFail();
    assertThat(runMain(work)).isEqualTo("1770 42 84\n");
  }

  /**
   * --rename-dynamic-symbols on a non-PIE executable whose .dynstr must grow: its .dynsym sits in
   * the sections that move down with the grown program header table, so the renamed symbol entry is
   * written where that table moved. It was written at its old offset less the file's shift, a
   * negative position: exit 70, internal error. Judged by nm and the loader: the program calls the
   * library's function through the new name in both.
   */
  @Test
  void renamingAnImportOfANonPieExecutableFollowsTheMovedSymbolTable(@TempDir Path work)
      throws IOException {
    Files.writeString(work.resolve("lib.c"), "int answer(void) { return 42; }\n");
    Files.writeString(
        work.resolve("main.c"),
        "#include <stdio.h>\nint answer(void);\n"
            + "int main(void) { printf(\"%d\\n\", answer()); return 0; }\n");
    Files.writeString(work.resolve("map"), "answer renamed_answer_with_a_much_longer_name\n");
    Tool.run(work, Map.of(), "gcc", "-shared", "-fPIC", "-o", "libx.so", "lib.c").orFail();
    Tool.run(work, Map.of(), "gcc", "-no-pie", "-o", "main", "main.c", "-L.", "-lx").orFail();
    String map = work.resolve("map").toString();

    assertThat(cli("patchelf", "--rename-dynamic-symbols", map, work.resolve("main").toString()))
        .isEqualTo("exit 0");
    assertThat(cli("patchelf", "--rename-dynamic-symbols", map, work.resolve("libx.so").toString()))
        .isEqualTo("exit 0");

    assertThat(Tool.run("nm", "-D", work.resolve("main").toString()).orFail().stdout())
        .contains(" U renamed_answer_with_a_much_longer_name\n")
        .doesNotContain(" U answer\n");
    assertThat(runMain(work)).isEqualTo("42\n");
  }

  /** Runs {@code work/main} with the libraries beside it; returns what it printed. */
  private static String runMain(Path work) {
    return Tool.run(
            work, Map.of("LD_LIBRARY_PATH", work.toString()), work.resolve("main").toString())
        .orFail()
        .stdout();
  }

  static Stream<Arguments> hashStyles() {
    return Stream.of(
        Arguments.of("gnu", List.of()),
        Arguments.of("sysv", List.of()),
        Arguments.of("both", List.of()),
        Arguments.of("both", List.of("--set-rpath", BUNDLE_RPATH + ":/a/path/that/cannot/fit")));
  }

  @Test
  void aBadRenameMapIsReportedLikePatchelf(@TempDir Path work) throws IOException {
    Path lib = copy("libanswer.so", work);
    Path map = work.resolve("map");
    Files.writeString(map, "answer\n");
    assertThat(cli("patchelf", "--rename-dynamic-symbols", map.toString(), lib.toString()))
        .isEqualTo(
            "exit 1: patchelf: " + map + ":1: Map file line is missing the second element\n");
    Files.writeString(map, "answer answer@V1\n");
    assertThat(cli("patchelf", "--rename-dynamic-symbols", map.toString(), lib.toString()))
        .isEqualTo(
            "exit 1: patchelf: " + map + ":1: Name pair contains version tag: answer answer@V1\n");
    assertThat(Files.mismatch(lib, built.resolve("libanswer.so"))).isEqualTo(-1L);
  }

  /** Without PT_DYNAMIC, the table is found through the .dynamic section, as patchelf does. */
  @Test
  void aDynamicSectionWithoutItsProgramHeaderIsStillEdited(@TempDir Path work) throws Exception {
    Path lib = copy("libanswer.so", work);
    ElfFile elf = ElfFile.read(lib);
    ElfPatches.nullProgramHeader(lib, elf, elf.programHeaders.indexOf(elf.dynamicSegment));
    assertThat(Tool.run("readelf", "-lW", lib.toString()).orFail().stdout())
        .doesNotContain("DYNAMIC");
    assertThat(cli("patchelf", "--set-rpath", BUNDLE_RPATH, lib.toString())).isEqualTo("exit 0");
    assertThat(cliOut("patchelf", "--print-soname", "--print-rpath", lib.toString()))
        .isEqualTo("libanswer.so.1\n" + BUNDLE_RPATH + "\n");
    // readelf -d needs PT_DYNAMIC; the section's string table shows the path landed.
    assertThat(Tool.run("readelf", "-p", ".dynstr", lib.toString()).orFail().stdout())
        .contains(BUNDLE_RPATH);
  }

  static Path copy(String name, Path dir) throws IOException {
    Files.createDirectories(dir);
    return Files.copy(
        built.resolve(name), dir.resolve(name), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
  }
}
