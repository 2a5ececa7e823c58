package dev.pbstoolchain.binarypatcher.elf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.binarypatcher.cli.Main;
import dev.pbstoolchain.binarypatcher.testing.Tool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
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

    DynamicView ourView = DynamicView.of(ours);
    DynamicView theirView = DynamicView.of(theirs);
    assertThat(ourView.needed()).isEqualTo(theirView.needed());
    assertThat(ourView.sortedStrings()).isEqualTo(theirView.sortedStrings());
    assertThat(ourView.sortedTags()).isEqualTo(theirView.sortedTags());
    assertThat(ourView.interpreter()).isEqualTo(theirView.interpreter());
    // patchelf itself reads our output back the same way.
    for (String print : List.of("--print-rpath", "--print-needed", "--print-soname")) {
      assertThat(Tool.run("patchelf", print, ours.toString()).orFail().stdout())
          .isEqualTo(Tool.run("patchelf", print, theirs.toString()).orFail().stdout());
    }
    if (runs) {
      assertThat(Tool.run(ours.toString()).orFail().stdout())
          .isEqualTo("hello from a patched binary\n");
      Path stripped = work.resolve("stripped");
      Tool.run("strip", "-o", stripped.toString(), ours.toString()).orFail();
      assertThat(Tool.run(stripped.toString()).orFail().stdout())
          .isEqualTo("hello from a patched binary\n");
    }
  }

  static Path copy(String name, Path dir) throws IOException {
    Files.createDirectories(dir);
    return Files.copy(
        built.resolve(name), dir.resolve(name), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
  }

  /** Runs our CLI in-process; returns "exit N" plus stderr when it failed. */
  static String cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return "exit " + code + (code == 0 ? "" : ": " + err.toString(StandardCharsets.UTF_8));
  }
}
