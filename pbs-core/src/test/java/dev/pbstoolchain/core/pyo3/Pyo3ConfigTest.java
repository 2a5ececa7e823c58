package dev.pbstoolchain.core.pyo3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.core.PbsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration read from PBS-shaped trees with the file names each PBS flavour ships (PBS's
 * cpython-unix/build-cpython.sh and cpython-windows/build.py); the expected keys are the ones
 * PyO3's pyo3-build-config derives for such an interpreter itself. A real {@code cargo build} of a
 * PyO3 program against a generated file runs in the release-pyo3 invoker IT.
 */
class Pyo3ConfigTest {

  @TempDir Path dir;

  private Path tree(String... files) throws IOException {
    Path home = dir.resolve("python");
    for (String file : files) {
      Path path = home.resolve(file);
      Files.createDirectories(path.getParent());
      Files.writeString(path, file);
    }
    return home;
  }

  @Test
  void linuxInstallOnly() throws Exception {
    Path home =
        tree(
            "bin/python3.11",
            "lib/libpython3.11.so.1.0",
            "lib/libpython3.11.so",
            "lib/libpython3.so");
    assertThat(Pyo3Config.from(home, "x86_64-unknown-linux-gnu").render())
        .isEqualTo(
            "implementation=CPython\nversion=3.11\nshared=true\nabi3=false\nlib_name=python3.11\n"
                + "lib_dir="
                + home.resolve("lib")
                + "\nexecutable="
                + home.resolve("bin/python3.11")
                + "\npointer_width=64\nbuild_flags=\nsuppress_build_script_link_lines=false\n");
  }

  @Test
  void macosLinksTheDylib() throws Exception {
    Path home = tree("bin/python3.12", "lib/libpython3.12.dylib");
    Pyo3Config config = Pyo3Config.from(home, "aarch64-apple-darwin");
    assertThat(config.libName()).isEqualTo("python3.12");
    assertThat(config.render()).contains("\nversion=3.12\n", "\npointer_width=64\n");
  }

  @Test
  void freeThreadedUnixBuildLinksTheTLibraryAndSaysSo() throws Exception {
    // PBS's freethreaded flavours: libpython3.13t.so, bin/python3.13t (python3.13 links to it).
    Path home = tree("bin/python3.13t", "lib/libpython3.13t.so.1.0", "lib/libpython3.13t.so");
    String config = Pyo3Config.from(home, "x86_64-unknown-linux-gnu").render();
    assertThat(config)
        .contains(
            "\nversion=3.13\n",
            "\nlib_name=python3.13t\n",
            "\nexecutable=" + home.resolve("bin/python3.13t") + "\n",
            "\nbuild_flags=Py_GIL_DISABLED\n",
            "\nabi3=false\n");
  }

  @Test
  void windowsLinksTheVersionedImportLibraryNotTheStableAbiOne() throws Exception {
    Path home =
        tree(
            "python.exe", "python311.dll", "python3.dll", "libs/python3.lib", "libs/python311.lib");
    Pyo3Config config = Pyo3Config.from(home, "x86_64-pc-windows-msvc");
    assertThat(config.render())
        .contains(
            "\nversion=3.11\n",
            "\nlib_name=python311\n",
            "\nlib_dir=" + home.resolve("libs") + "\n",
            "\nexecutable=" + home.resolve("python.exe") + "\n",
            "\nbuild_flags=\n");
  }

  @Test
  void freeThreadedWindowsBuild() throws Exception {
    Path home =
        tree(
            "python.exe",
            "python3.13t.exe",
            "python313t.dll",
            "libs/python3t.lib",
            "libs/python313t.lib");
    assertThat(Pyo3Config.from(home, "aarch64-pc-windows-msvc").render())
        .contains(
            "\nlib_name=python313t\n", "\nbuild_flags=Py_GIL_DISABLED\n", "\npointer_width=64\n");
  }

  @Test
  void thirtyTwoBitTargetsSayThirtyTwo() throws Exception {
    // PyO3 refuses a config whose pointer_width differs from cargo's target.
    Path windows = tree("python.exe", "libs/python311.lib");
    assertThat(Pyo3Config.from(windows, "i686-pc-windows-msvc").render())
        .contains("\npointer_width=32\n");
    Path linux = tree("bin/python3.11", "lib/libpython3.11.so");
    assertThat(Pyo3Config.from(linux, "armv7-unknown-linux-gnueabihf").pointerWidth())
        .isEqualTo(32);
    assertThat(Pyo3Config.from(linux, "i686-unknown-linux-gnu").pointerWidth()).isEqualTo(32);
    assertThat(Pyo3Config.from(linux, "aarch64-unknown-linux-gnu").pointerWidth()).isEqualTo(64);
  }

  @Test
  void aStaticBuildIsRefusedWithTheReason() throws Exception {
    Path home =
        tree("bin/python3.11", "lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a");
    assertThatThrownBy(() -> Pyo3Config.from(home, "x86_64-unknown-linux-musl"))
        .isInstanceOf(PbsException.class)
        .hasMessage(
            home.resolve("lib")
                + " holds no libpython3.X.so or .dylib: "
                + home
                + " is not a shared CPython build (PyO3 needs shared=true)");
  }

  @Test
  void aWindowsBuildWithOnlyTheStableAbiLibraryIsRefusedWithTheReason() throws Exception {
    Path home = tree("python.exe", "libs/python3.lib");
    assertThatThrownBy(() -> Pyo3Config.from(home, "x86_64-pc-windows-msvc"))
        .isInstanceOf(PbsException.class)
        .hasMessage(
            home.resolve("libs")
                + " holds no python3X.lib import library: "
                + home
                + " is not a shared Windows CPython build");
  }

  @Test
  void aMissingTreeNamesTheGoalToRunFirst() {
    assertThatThrownBy(() -> Pyo3Config.from(dir.resolve("python"), "x86_64-unknown-linux-gnu"))
        .isInstanceOf(PbsException.class)
        .hasMessageContaining("run pbs:fetch for x86_64-unknown-linux-gnu before pbs:pyo3-config");
  }

  @Test
  void writeReplacesTheFileWhole() throws Exception {
    Path home = tree("bin/python3.11", "lib/libpython3.11.so");
    Path file = dir.resolve("out/pyo3-config.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "stale text that is longer than the config is going to be ".repeat(20));
    Pyo3Config config = Pyo3Config.from(home, "x86_64-unknown-linux-gnu");
    config.write(file);
    assertThat(Files.readString(file)).isEqualTo(config.render());
    try (var left = Files.list(file.getParent())) {
      assertThat(left).containsExactly(file);
    }
  }
}
