package dev.pbstoolchain.binarypatcher.elf;

import static dev.pbstoolchain.binarypatcher.testing.OurCli.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.testing.Hello;
import dev.pbstoolchain.binarypatcher.testing.OurCli;
import dev.pbstoolchain.binarypatcher.testing.Tool;
import dev.pbstoolchain.testing.ExternalTool;
import dev.pbstoolchain.testing.InProcessCli;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What users rely on: the bundled libpython is the one loaded, and bad input is refused safely. */
class ElfBehaviourTest {

  static final Path LIBPYTHON = Path.of("/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0");
  static final String APP_RPATH = "$ORIGIN/python/lib:$ORIGIN/../lib/embedded-app/python/lib";

  @TempDir static Path built;
  @TempDir Path work;

  @BeforeAll
  static void compile() {
    Tool.run(
            built,
            Map.of(),
            "gcc",
            "-o",
            "embedded-app",
            Tool.source("embed.c").toString(),
            "-I/usr/include/python3.11",
            "-lpython3.11")
        .orFail();
    Hello.gcc(built, "hello");
  }

  @Test
  void thePatchedAppLoadsTheBundledLibpythonInBothLayouts() throws Exception {
    // Unpatched, the loader takes the system's copy: the check below can fail.
    assertThat(Tool.run(built.resolve("embedded-app").toString()).orFail().stdout())
        .containsPattern("libpython=(/usr)?/lib/x86_64-linux-gnu/libpython3.11.so.1.0");

    Path tarLayout = work.resolve("tar/embedded-app-1.0");
    Path tarApp = install(tarLayout.resolve("embedded-app"), tarLayout.resolve("python/lib"));
    Path debRoot = work.resolve("deb");
    Path debApp =
        install(
            debRoot.resolve("usr/bin/embedded-app"),
            debRoot.resolve("usr/lib/embedded-app/python/lib"));
    for (Path app : new Path[] {tarApp, debApp}) {
      assertThat(cli("patchelf", "--set-rpath", APP_RPATH, app.toString())).isEqualTo("exit 0");
    }
    String tarRun = Tool.run(Path.of("/"), Map.of(), tarApp.toString()).orFail().stdout();
    assertThat(tarRun)
        .contains("libpython=" + tarLayout.resolve("python/lib/libpython3.11.so.1.0"))
        .contains("version=3.11");
    String debRun = Tool.run(Path.of("/"), Map.of(), debApp.toString()).orFail().stdout();
    assertThat(Path.of(value(debRun, "libpython")).normalize())
        .isEqualTo(debRoot.resolve("usr/lib/embedded-app/python/lib/libpython3.11.so.1.0"));
  }

  private Path install(Path app, Path libDir) throws IOException {
    Files.createDirectories(app.getParent());
    Files.createDirectories(libDir);
    Files.copy(built.resolve("embedded-app"), app, StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(LIBPYTHON, libDir.resolve("libpython3.11.so.1.0"));
    return app;
  }

  private static String value(String output, String key) {
    Matcher m = Pattern.compile("^" + key + "=(.*)$", Pattern.MULTILINE).matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return m.group(1);
  }

  @Test
  void aLargeRealProgramStillRunsAfterTheTablesGrow() throws Exception {
    Path python = work.resolve("python3.11");
    Files.copy(Path.of("/usr/bin/python3.11"), python, StandardCopyOption.COPY_ATTRIBUTES);
    String longPath = "$ORIGIN/" + "very-long-directory-name/".repeat(20) + "lib";
    assertThat(
            cli(
                "patchelf",
                "--set-rpath",
                longPath,
                "--add-needed",
                "libm.so.6",
                python.toString()))
        .isEqualTo("exit 0");
    assertThat(Tool.run(python.toString(), "-c", "print(sum(range(10)))").orFail().stdout())
        .isEqualTo("45\n");
    assertThat(Tool.run("patchelf", "--print-rpath", python.toString()).orFail().stdout())
        .isEqualTo(longPath + "\n");
  }

  @Test
  void pageSizeCanBeForced() throws Exception {
    Path hello = Files.copy(built.resolve("hello"), work.resolve("hello"));
    assertThat(cli("patchelf", "--page-size", "65536", "--set-rpath", APP_RPATH, hello.toString()))
        .isEqualTo("exit 0");
    assertThat(Tool.run("readelf", "-lW", hello.toString()).orFail().stdout())
        .containsPattern("LOAD .* R   0x10000\n");
    Hello.assertRuns(hello);
    assertThat(cli("patchelf", "--page-size", "1000", "--set-rpath", "/x", hello.toString()))
        .isEqualTo("exit 1: patchelf: invalid argument to --page-size: 1000\n");
  }

  @Test
  void badInputIsRefusedWithAClearMessageAndLeftUntouched() throws Exception {
    Path text = Files.writeString(work.resolve("notes.txt"), "not a binary at all\n");
    assertRefused(text, text + ": not an ELF file: it does not start with the ELF magic \\x7fELF");

    Path truncated = work.resolve("truncated");
    try (var in = Files.newInputStream(built.resolve("hello"));
        OutputStream out = Files.newOutputStream(truncated)) {
      out.write(in.readNBytes(200));
    }
    assertRefused(
        truncated,
        truncated
            + ": truncated or corrupt: program header table out of bounds: 728 bytes at offset"
            + " 64 run past the end of the file (200 bytes)");

    Path corrupt = Files.copy(built.resolve("hello"), work.resolve("corrupt"));
    ElfPatches.putLong(corrupt, 0x20, 1L << 40); // e_phoff
    assertRefused(
        corrupt,
        corrupt
            + ": truncated or corrupt: program header table out of bounds: 728 bytes at offset"
            + " 1099511627776 run past the end of the file (15960 bytes)");

    Path statik = Hello.gcc(work, "static", "-static");
    assertRefused(
        statik,
        statik
            + ": has no dynamic section (no PT_DYNAMIC program header): it is statically linked,"
            + " so there is no RUNPATH, NEEDED or SONAME to edit");
    assertThat(cli("patchelf", "--print-rpath", statik.toString()))
        .isEqualTo(
            "exit 1: patchelf: "
                + statik
                + ": cannot find section '.dynamic'. The input file is most likely statically"
                + " linked\n");
    try (var files = Files.list(work)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  private void assertRefused(Path file, String message) throws Exception {
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(() -> ElfEditor.apply(file, ElfEdit.builder().setRunpath(APP_RPATH).build()))
        .isInstanceOf(BinaryFormatException.class)
        .hasMessage(message.replace(": truncated or corrupt: the", ": truncated or corrupt: the"));
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(cli("patchelf", "--set-rpath", "/x", file.toString()))
        .isEqualTo("exit 1: patchelf: " + message + "\n");
  }

  @Test
  void writingToADeviceWritesThroughInsteadOfReplacingIt() throws Exception {
    Path hello = Files.copy(built.resolve("hello"), work.resolve("hello-dev"));
    assertThat(cli("patchelf", "--set-rpath", APP_RPATH, "--output", "/dev/null", hello.toString()))
        .isEqualTo("exit 0");
    assertThat(Files.isRegularFile(Path.of("/dev/null"))).isFalse();
    assertThat(Files.exists(Path.of("/dev/null"))).isTrue();
  }

  @Test
  void cliPrintsLikePatchelf() {
    for (String file :
        new String[] {
          built.resolve("hello").toString(),
          built.resolve("embedded-app").toString(),
          LIBPYTHON.toString()
        }) {
      for (String flag :
          new String[] {
            "--print-rpath", "--print-needed", "--print-soname", "--print-interpreter"
          }) {
        ExternalTool.Result theirs = Tool.run("patchelf", flag, file);
        InProcessCli.Result ours = OurCli.run("patchelf", flag, file);
        assertThat(ours.status()).as(flag + " " + file).isEqualTo(theirs.exitCode());
        assertThat(ours.out()).as(flag + " " + file).isEqualTo(theirs.stdout());
      }
    }
  }

  @Test
  void auditReportsTheGlibcFloorAndWhatResolvesWhere() throws Exception {
    Path app = install(work.resolve("bundle/embedded-app"), work.resolve("bundle/python/lib"));
    ElfAudit.Report before = ElfAudit.audit(app, ElfAudit.Options.defaults(work.resolve("bundle")));
    assertThat(before.missing()).containsExactly("libpython3.11.so.1.0");
    assertThat(before.passed()).isFalse();

    ElfEditor.apply(app, ElfEdit.builder().setRunpath(APP_RPATH).build());
    ElfAudit.Report after =
        ElfAudit.audit(app, ElfAudit.Options.defaults(work.resolve("bundle")).withMaxGlibc("2.17"));
    assertThat(after.dependencies())
        .extracting(ElfAudit.Dependency::name, ElfAudit.Dependency::resolution)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "libpython3.11.so.1.0", ElfAudit.Resolution.BUNDLED),
            org.assertj.core.groups.Tuple.tuple("libc.so.6", ElfAudit.Resolution.SYSTEM));
    // readelf -V is the judge of the highest GLIBC_ version needed.
    String versions = Tool.run("readelf", "-VW", app.toString()).orFail().stdout();
    Matcher m = Pattern.compile("Name: GLIBC_([0-9.]+)").matcher(versions);
    String highest = "0";
    while (m.find()) {
      highest = ElfAudit.compareVersions(m.group(1), highest) > 0 ? m.group(1) : highest;
    }
    assertThat(after.maxGlibc()).contains(highest);
    assertThat(after.passed()).isEqualTo(ElfAudit.compareVersions(highest, "2.17") <= 0);

    // Every glibc CPU's dynamic loader counts as the system's (an armel or riscv64 app names its
    // own, e.g. with -Wl,--no-as-needed or through a library that does).
    Path other = Files.copy(app, work.resolve("bundle/other-cpu-loaders"));
    ElfEditor.apply(
        other,
        ElfEdit.builder()
            .addNeeded("ld-linux.so.3")
            .addNeeded("ld-linux-riscv64-lp64d.so.1")
            .build());
    assertThat(
            ElfAudit.audit(other, ElfAudit.Options.defaults(work.resolve("bundle"))).dependencies())
        .filteredOn(d -> d.name().startsWith("ld-"))
        .extracting(ElfAudit.Dependency::resolution)
        .containsExactly(ElfAudit.Resolution.SYSTEM, ElfAudit.Resolution.SYSTEM);

    ElfAudit.Report strict =
        ElfAudit.audit(app, ElfAudit.Options.defaults(work.resolve("bundle")).withMaxGlibc("2.2"));
    assertThat(strict.problems())
        .containsExactly(
            "needs GLIBC_"
                + highest
                + " but the release promises glibc 2.2; build on an older system (or with zig cc"
                + " / a manylinux image)");
    assertThat(strict.toText()).contains("PROBLEM: needs GLIBC_" + highest);
    assertThat(
            cli(
                "audit",
                app.toString(),
                "--bundle",
                work.resolve("bundle").toString(),
                "--max-glibc",
                "2.2"))
        .startsWith("exit 1");
  }
}
