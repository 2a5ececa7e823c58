package dev.pbstoolchain.binarypatcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.binarypatcher.testing.Hello;
import dev.pbstoolchain.binarypatcher.testing.OurCli;
import dev.pbstoolchain.binarypatcher.testing.Tool;
import dev.pbstoolchain.testing.InProcessCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's own front door: help, version, exit statuses and the audit's JSON. */
class MainTest {

  @TempDir Path work;

  @Test
  void helpAndVersionAnswerOnStandardOutputWithExitZero() {
    for (String flag : new String[] {"--help", "-h"}) {
      InProcessCli.Result r = OurCli.run(flag);
      assertThat(r.status()).isZero();
      assertThat(r.err()).isEmpty();
      assertThat(r.out())
          .startsWith("usage: java -jar binary-patcher-")
          .contains("-cli.jar COMMAND ARGS...")
          .contains("exit status: 0 ok; 1 the command failed");
    }
    InProcessCli.Result version = OurCli.run("--version");
    assertThat(version.status()).isZero();
    assertThat(version.out()).matches("binary-patcher \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
    assertThat(OurCli.run("install_name_tool", "--version").out())
        .startsWith("install_name_tool (pbs-toolchain binary-patcher ");
    assertThat(OurCli.run("audit", "--help").status()).isZero();
  }

  @Test
  void usageErrorsExitTwoAndNameTheProblem() {
    InProcessCli.Result none = OurCli.run();
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err()).startsWith("usage: java -jar ");
    InProcessCli.Result unknown = OurCli.run("strip", "x");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("binary-patcher: unknown command 'strip'\nusage: ");
  }

  /** {@code audit --json} is one JSON object that python's json module reads back. */
  @Test
  void auditWritesJson() throws Exception {
    Path hello = Hello.gcc(work, "hello");
    InProcessCli.Result r = OurCli.run("audit", hello.toString(), "--json", "--max-glibc", "2.2");
    assertThat(r.status()).isEqualTo(1);
    Path json = Files.writeString(work.resolve("report.json"), r.out());
    String check =
        "import json,sys\n"
            + "d=json.load(open(sys.argv[1]))\n"
            + "print(d['passed'], d['maxGlibc'] is not None, d['maxCxxabi'],"
            + " [(x['name'], x['resolution'], x['path']) for x in d['dependencies']],"
            + " len(d['problems']))\n";
    assertThat(Tool.run("python3", "-c", check, json.toString()).orFail().stdout())
        .isEqualTo("False True None [('libc.so.6', 'SYSTEM', None)] 1\n");
  }

  /**
   * Issue #19: an x86-64 program beside an aarch64 library of the same name was "(bundled)". The
   * loader passes over a library of another machine, so the audit does too and says why.
   */
  @Test
  void auditRefusesABundledLibraryOfAnotherMachine() throws Exception {
    Path lib = Files.createDirectories(work.resolve("bundle/lib"));
    Path source = Files.writeString(work.resolve("lib.c"), "int answer(void) { return 42; }\n");
    Path main =
        Files.writeString(
            work.resolve("main.c"), "int answer(void);\nint main(void) { return answer(); }\n");
    buildLibanswer("gcc", source, lib);
    Path app = work.resolve("bundle/app");
    Tool.run(
            work,
            Map.of(),
            "gcc",
            "-o",
            app.toString(),
            main.toString(),
            "-L" + lib,
            "-lanswer",
            "-Wl,-rpath,$ORIGIN/lib")
        .orFail();
    InProcessCli.Result right = OurCli.run("audit", app.toString());
    assertThat(right.status()).as(right.out()).isZero();
    assertThat(right.out())
        .contains("NEEDED libanswer.so -> " + lib.resolve("libanswer.so") + " (bundled)");

    buildLibanswer("aarch64-linux-gnu-gcc", source, lib);
    InProcessCli.Result wrong = OurCli.run("audit", app.toString());
    assertThat(wrong.status()).isEqualTo(1);
    assertThat(wrong.out())
        .contains("NEEDED libanswer.so -> NOT FOUND")
        .contains(
            "PROBLEM: libanswer.so in the bundle is for another machine, so the loader skips it: "
                + lib.resolve("libanswer.so")
                + " is ELF 64-bit ARM aarch64, the program ELF 64-bit x86-64. Ship the ELF 64-bit"
                + " x86-64 build of it");
  }

  /** libanswer.so built by {@code compiler} from {@code source} into {@code lib}. */
  private void buildLibanswer(String compiler, Path source, Path lib) {
    Tool.run(
            work,
            Map.of(),
            compiler,
            "-shared",
            "-fPIC",
            "-Wl,-soname,libanswer.so",
            "-o",
            lib.resolve("libanswer.so").toString(),
            source.toString())
        .orFail();
  }
}
