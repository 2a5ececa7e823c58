package dev.pbstoolchain.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.core.release.SmokeSpec;
import dev.pbstoolchain.testing.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke runs of small programs laid out as artifacts (the app beside {@code python/lib} with the
 * PBS libpython's name, found through RUNPATH), on this machine as it is: natively, under
 * qemu-aarch64 with the Debian cross libc, under Wine, isolated in a private mount namespace.
 */
class SmokeRunnerTest {

  static final Path SOURCES = Path.of("src/test/c").toAbsolutePath();
  static final Path STUBS = Path.of("../test-support/src/main/c").toAbsolutePath().normalize();
  static final String HOST_STDLIB = "/usr/lib/python3.11/os.py";

  @TempDir static Path built;
  @TempDir Path work;

  static Path x86;
  static Path arm;
  static Path windows;
  static Path outsider;

  @BeforeAll
  static void build() throws IOException {
    x86 = linuxArtifact("x86_64", "gcc");
    arm = linuxArtifact("aarch64", "aarch64-linux-gnu-gcc");
    // An app whose RUNPATH leads out of its artifact, to a libpython of the build machine.
    Path elsewhere = Files.createDirectories(built.resolve("elsewhere/lib"));
    Files.copy(
        x86.resolve("python/lib/libpython3.11.so.1.0"), elsewhere.resolve("libpython3.11.so.1.0"));
    outsider = Files.createDirectories(built.resolve("outsider/app-1.0"));
    Files.createDirectories(outsider.resolve("python/lib"));
    ExternalTool.run(
            "gcc",
            "-o",
            outsider.resolve("app").toString(),
            SOURCES.resolve("smoke_app.c").toString(),
            "-L" + elsewhere,
            "-l:libpython3.11.so.1.0",
            "-Wl,-rpath," + elsewhere)
        .orFail();
    windows = Files.createDirectories(built.resolve("windows"));
    ExternalTool.run(
            "x86_64-w64-mingw32-gcc",
            "-shared",
            "-o",
            windows.resolve("python311.dll").toString(),
            STUBS.resolve("libpython_stub.c").toString())
        .orFail();
    ExternalTool.run(
            "x86_64-w64-mingw32-gcc",
            "-o",
            windows.resolve("app.exe").toString(),
            SOURCES.resolve("smoke_app_windows.c").toString(),
            windows.resolve("python311.dll").toString())
        .orFail();
  }

  /**
   * {@code APP-1.0/app} and {@code APP-1.0/python/lib/libpython3.11.so.1.0}, as a tar.gz holds
   * them.
   */
  private static Path linuxArtifact(String cpu, String gcc) throws IOException {
    Path top = Files.createDirectories(built.resolve(cpu + "/app-1.0"));
    Path lib = Files.createDirectories(top.resolve("python/lib"));
    ExternalTool.run(
            gcc,
            "-shared",
            "-fPIC",
            "-Wl,-soname,libpython3.11.so.1.0",
            "-o",
            lib.resolve("libpython3.11.so.1.0").toString(),
            STUBS.resolve("libpython_stub.c").toString())
        .orFail();
    ExternalTool.run(
            gcc,
            "-o",
            top.resolve("app").toString(),
            SOURCES.resolve("smoke_app.c").toString(),
            "-L" + lib,
            "-l:libpython3.11.so.1.0",
            "-Wl,-rpath,$ORIGIN/python/lib")
        .orFail();
    return top;
  }

  private SmokeRunner runner(SmokeMachine machine) {
    return new SmokeRunner(machine, work.resolve("scratch"), SmokeRunner.defaultCache());
  }

  private static SmokeMachine machine() {
    return SmokeMachine.probe(Map.of());
  }

  private static SmokeSpec spec(String expect, String... args) {
    return new SmokeSpec(List.of(args), Pattern.compile(expect), Duration.ofSeconds(60));
  }

  private SmokeRun runX86(SmokeMachine machine, SmokeSpec spec) throws IOException {
    return runner(machine)
        .run(
            "app-1.0_linux_amd64.tar.gz",
            "x86_64-unknown-linux-gnu",
            x86.getParent(),
            x86.resolve("app"),
            x86.resolve("python"),
            spec);
  }

  @Test
  void thisMachineCanIsolate() {
    // The CI machine (.ci/run) runs these tests as root in a sandbox that allows user namespaces.
    SmokeMachine machine = machine();
    assertThat(machine.isolationProblem()).isEmpty();
    assertThat(machine.unshare()).isPresent();
  }

  @Test
  void nativeRunHidesTheHostsPythonAndProvesWhichLibpythonLoaded() throws Exception {
    assertThat(Files.exists(Path.of(HOST_STDLIB))).as("the host's stdlib, to hide").isTrue();
    SmokeRun run = runX86(machine(), spec(HOST_STDLIB + " hidden", "look", HOST_STDLIB));
    assertThat(run.outcome()).as(run.detail()).isEqualTo(SmokeRun.Outcome.PASSED);
    assertThat(run.isolated()).isTrue();
    assertThat(run.runner()).isEqualTo("native x86_64");
    assertThat(run.libpython()).isEqualTo("app-1.0/python/lib/libpython3.11.so.1.0");
    assertThat(run.output()).contains("python 3.11.10 (test stand-in)");
    assertThat(run.isolation())
        .startsWith("private mount namespace; hidden: ")
        .contains("/usr/lib/python3.11");
    assertThat(run.detail())
        .startsWith("exit 0 in ")
        .contains(
            "output matched /" + HOST_STDLIB + " hidden/, libpython from app-1.0/python/lib/");
  }

  @Test
  void theEnvironmentHoldsOnlyWhatTheRunSets() throws Exception {
    SmokeRun run = runX86(machine(), spec("env PATH", "env"));
    assertThat(run.outcome()).as(run.detail()).isEqualTo(SmokeRun.Outcome.PASSED);
    assertThat(run.output().lines().filter(l -> l.startsWith("env ")).sorted().toList())
        // LD_DEBUG and its output file are the loader's trace, the proof of which libpython ran.
        .containsExactly("env HOME", "env LANG", "env LD_DEBUG", "env LD_DEBUG_OUTPUT", "env PATH");
  }

  @Test
  void theBuildsConfiguredPrefixIsHiddenToo() throws Exception {
    // A stand-in build configured for a prefix that exists on this machine (PBS: /install).
    Path prefix = Files.createDirectories(built.resolve("configured-prefix/lib/python3.11"));
    Files.writeString(prefix.resolve("os.py"), "# the build machine's stdlib\n");
    Path stdlib = Files.createDirectories(work.resolve("tree/app-1.0/python/lib/python3.11"));
    ExternalTool.run("cp", "-a", x86.toString(), work.resolve("tree").toString()).orFail();
    Files.writeString(
        stdlib.resolve("_sysconfigdata__linux_x86_64-linux-gnu.py"),
        "build_time_vars = {'BINDIR': '/x/bin',\n 'prefix': '"
            + prefix.getParent().getParent()
            + "'}\n");
    Path top = work.resolve("tree/app-1.0");
    SmokeRun run =
        runner(machine())
            .run(
                "app.tar.gz",
                "x86_64-unknown-linux-gnu",
                top.getParent(),
                top.resolve("app"),
                top.resolve("python"),
                spec(
                    " hidden\\n.* hidden",
                    "look",
                    HOST_STDLIB,
                    prefix.resolve("os.py").toString()));
    assertThat(run.outcome()).as(run.detail()).isEqualTo(SmokeRun.Outcome.PASSED);
    assertThat(run.isolation()).contains(prefix.getParent().getParent().toRealPath().toString());
  }

  @Test
  void aFailingRunShowsItsOutputAndExitStatus() throws Exception {
    SmokeRun run = runX86(machine(), spec("plugin", "fail"));
    assertThat(run.outcome()).isEqualTo(SmokeRun.Outcome.FAILED);
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.detail())
        .startsWith("exited with status 3; its output does not match /plugin/ (after ")
        .contains("Command: " + x86.resolve("app") + " fail")
        .contains(
            "        | Fatal Python error: failed to get the Python codec of the filesystem encoding");
  }

  @Test
  void aRunPastItsTimeoutIsStopped() throws Exception {
    SmokeSpec spec =
        new SmokeSpec(List.of("hang"), Pattern.compile("python"), Duration.ofSeconds(2));
    long start = System.nanoTime();
    SmokeRun run = runX86(machine(), spec);
    assertThat(run.outcome()).isEqualTo(SmokeRun.Outcome.FAILED);
    assertThat(run.detail()).startsWith("did not finish within 2.0 s");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
  }

  @Test
  void aLibpythonFromOutsideTheArtifactFails() throws Exception {
    SmokeRun run =
        runner(machine())
            .run(
                "outsider.tar.gz",
                "x86_64-unknown-linux-gnu",
                outsider.getParent(),
                outsider.resolve("app"),
                outsider.resolve("python"),
                spec("python"));
    assertThat(run.outcome()).isEqualTo(SmokeRun.Outcome.FAILED);
    assertThat(run.detail())
        .startsWith(
            "it loaded "
                + built.resolve("elsewhere/lib/libpython3.11.so.1.0")
                + ", which is not inside the artifact");
  }

  @Test
  void arm64RunsUnderQemuWithTheCrossLibc() throws Exception {
    SmokeRun run =
        runner(machine())
            .run(
                "app-1.0_linux_arm64.tar.gz",
                "aarch64-unknown-linux-gnu",
                arm.getParent(),
                arm.resolve("app"),
                arm.resolve("python"),
                spec(HOST_STDLIB + " hidden", "look", HOST_STDLIB));
    assertThat(run.outcome()).as(run.detail()).isEqualTo(SmokeRun.Outcome.PASSED);
    assertThat(run.runner()).isEqualTo("qemu-aarch64-static -L /usr/aarch64-linux-gnu");
    assertThat(run.isolated()).isTrue();
    assertThat(run.libpython()).isEqualTo("app-1.0/python/lib/libpython3.11.so.1.0");
  }

  @Test
  void withoutEmulatorOrGlibcTheRunIsSkippedSayingWhy() throws Exception {
    SmokeMachine bare = new SmokeMachine("x86_64", machine().unshare(), "", Map.of(), List.of());
    SmokeRun run =
        runner(bare)
            .run(
                "a.tar.gz",
                "aarch64-unknown-linux-gnu",
                arm.getParent(),
                arm.resolve("app"),
                arm.resolve("python"),
                spec("python"));
    assertThat(run.outcome()).isEqualTo(SmokeRun.Outcome.SKIPPED);
    assertThat(run.detail())
        .isEqualTo(
            "qemu-aarch64-static or qemu-aarch64 is not on PATH, so this aarch64 program was not"
                + " run (apt-get install qemu-user-static)");
    SmokeMachine noGlibc =
        new SmokeMachine("x86_64", machine().unshare(), "", Map.of(), List.of(Path.of("/usr/bin")));
    run =
        runner(noGlibc)
            .run(
                "a.tar.gz",
                "s390x-unknown-linux-gnu",
                arm.getParent(),
                arm.resolve("app"),
                arm.resolve("python"),
                spec("python"));
    if (Files.exists(Path.of("/usr/bin/qemu-s390x-static"))
        && !Files.isDirectory(Path.of("/usr/s390x-linux-gnu"))) {
      assertThat(run.detail())
          .isEqualTo(
              "no glibc for s390x to run it under qemu: give one with -Dpbs.smoke.sysroot.s390x=DIR,"
                  + " or apt-get install libc6-s390x-cross (/usr/s390x-linux-gnu)");
    }
    assertThat(run.outcome()).isEqualTo(SmokeRun.Outcome.SKIPPED);
  }

  @Test
  void withoutNamespacesTheRunSaysItIsNotIsolated() throws Exception {
    SmokeMachine noNamespaces =
        new SmokeMachine("x86_64", Optional.empty(), "unshare failed (test)", Map.of(), List.of());
    SmokeRun run = runX86(noNamespaces, spec(HOST_STDLIB + " visible", "look", HOST_STDLIB));
    assertThat(run.outcome()).as(run.detail()).isEqualTo(SmokeRun.Outcome.PASSED);
    assertThat(run.isolated()).isFalse();
    assertThat(run.isolation()).isEqualTo("NOT isolated: unshare failed (test)");
  }

  @Test
  void windowsRunsUnderWineAndLoadsTheDllBesideTheExe() throws Exception {
    SmokeRun run =
        runner(machine())
            .run(
                "app-windows.zip",
                "x86_64-pc-windows-msvc",
                windows,
                windows.resolve("app.exe"),
                windows.resolve("python"),
                spec("python 3\\.11\\.10"));
    assertThat(run.outcome()).as(run.detail()).isEqualTo(SmokeRun.Outcome.PASSED);
    assertThat(run.libpython()).isEqualTo("python311.dll");
    assertThat(run.output()).doesNotContain("trace:loaddll");
  }

  @Test
  void macOsArtifactsAreSkippedSayingWhy() throws Exception {
    SmokeRun run =
        runner(machine())
            .run("app_darwin_arm64.tar.gz", "aarch64-apple-darwin", x86, x86, x86, spec("x"));
    assertThat(run.outcome()).isEqualTo(SmokeRun.Outcome.SKIPPED);
    assertThat(run.detail()).isEqualTo("macOS programs cannot run on this Linux host");
  }
}
