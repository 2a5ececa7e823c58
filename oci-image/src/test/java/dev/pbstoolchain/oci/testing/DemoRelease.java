package dev.pbstoolchain.oci.testing;

import dev.pbstoolchain.testing.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The release the image tests ship, built once per test run: the app {@code demo-app} for x86_64
 * (embedding this machine's real CPython 3.11, with a trimmed standard library) and for aarch64
 * (against a stand-in libpython cross-built with aarch64-linux-gnu-gcc), each with a PBS-shaped
 * {@code python/} tree and the RUNPATH the deb layout needs.
 */
public final class DemoRelease {

  public static final String APP = "demo-app";
  public static final String AMD64 = "x86_64-unknown-linux-gnu";
  public static final String ARM64 = "aarch64-unknown-linux-gnu";
  static final String RUNPATH = "$ORIGIN/python/lib:$ORIGIN/../lib/" + APP + "/python/lib";

  /**
   * Parts of the standard library the embedded interpreter never loads: small layers, fast tests.
   */
  private static final Set<String> SKIPPED =
      Set.of(
          "test",
          "__pycache__",
          "site-packages",
          "dist-packages",
          "idlelib",
          "tkinter",
          "turtledemo",
          "ensurepip",
          "lib2to3",
          "pydoc_data",
          "unittest",
          "distutils",
          "asyncio",
          "email",
          "xml",
          "multiprocessing",
          "http",
          "urllib",
          "xmlrpc",
          "sqlite3",
          "curses",
          "dbm",
          "concurrent",
          "ctypes",
          "wsgiref",
          "venv",
          "zoneinfo",
          "tomllib");

  private static DemoRelease built;

  private final Path dir;

  private DemoRelease(Path dir) {
    this.dir = dir;
  }

  public static synchronized DemoRelease get() {
    if (built == null) {
      try {
        Path dir = Files.createTempDirectory("pbs-oci-release-");
        build(dir);
        built = new DemoRelease(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return built;
  }

  public Path binary(String triple) {
    return dir.resolve(triple).resolve(APP);
  }

  public Path python(String triple) {
    return dir.resolve(triple).resolve("python");
  }

  public Path dir() {
    return dir;
  }

  private static void build(Path dir) throws IOException {
    Path sources = Path.of("src/test/resources/dev/pbstoolchain/oci/testing").toAbsolutePath();
    // x86_64: the machine's CPython.
    Path amd64 = dir.resolve(AMD64);
    Path python = amd64.resolve("python");
    Files.createDirectories(python.resolve("bin"));
    Files.createDirectories(python.resolve("lib"));
    copy(Path.of("/usr/bin/python3.11"), python.resolve("bin/python3.11"));
    Files.createSymbolicLink(python.resolve("bin/python3"), Path.of("python3.11"));
    copy(
        Path.of("/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0"),
        python.resolve("lib/libpython3.11.so.1.0"));
    Files.createSymbolicLink(
        python.resolve("lib/libpython3.11.so"), Path.of("libpython3.11.so.1.0"));
    copyStdlib(Path.of("/usr/lib/python3.11"), python.resolve("lib/python3.11"));
    Files.writeString(
        python.resolve("LICENSE.md"), "# Licences\n\nCPython: PSF-2.0 (test release)\n");
    Sh.ok(
        "gcc",
        "-O2",
        "-s",
        "-I/usr/include/python3.11",
        "-I/usr/include/x86_64-linux-gnu/python3.11",
        "-o",
        amd64.resolve(APP).toString(),
        sources.resolve("demo-app.c").toString(),
        "-L" + python.resolve("lib"),
        "-lpython3.11",
        "-Wl,-rpath," + RUNPATH);
    // aarch64: a stand-in libpython.
    Path arm64 = dir.resolve(ARM64);
    Path armPython = arm64.resolve("python");
    Files.createDirectories(armPython.resolve("lib/python3.11"));
    Sh.ok(
        "aarch64-linux-gnu-gcc",
        "-shared",
        "-fPIC",
        "-Wl,-soname,libpython3.11.so.1.0",
        "-o",
        armPython.resolve("lib/libpython3.11.so.1.0").toString(),
        sources.resolve("stand-in-python.c").toString());
    Files.createSymbolicLink(
        armPython.resolve("lib/libpython3.11.so"), Path.of("libpython3.11.so.1.0"));
    Files.writeString(armPython.resolve("lib/python3.11/os.py"), "# stdlib stand-in\n");
    Files.writeString(armPython.resolve("LICENSE.md"), "# Licences\n\nstand-in\n");
    Sh.ok(
        "aarch64-linux-gnu-gcc",
        "-O2",
        "-s",
        "-DSTAND_IN",
        "-o",
        arm64.resolve(APP).toString(),
        sources.resolve("demo-app.c").toString(),
        "-L" + armPython.resolve("lib"),
        "-lpython3.11",
        "-Wl,-rpath," + RUNPATH);
    // What a deb of the app carries besides the program.
    Path packaging = Files.createDirectories(dir.resolve("packaging"));
    Files.writeString(
        packaging.resolve("copyright"),
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nLicense: Apache-2.0\n");
    Files.writeString(
        packaging.resolve("demo-app.service"), "[Service]\nExecStart=/usr/bin/demo-app\n");
    Files.writeString(packaging.resolve("demo.conf"), "listen = 8080\n");
  }

  public Path packaging(String file) {
    return dir.resolve("packaging").resolve(file);
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
  }

  private static void copyStdlib(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.sorted().toList()) {
        Path relative = from.relativize(file);
        if (skipped(relative)) {
          continue;
        }
        Path target = to.resolve(relative.toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else if (Files.isRegularFile(file)) {
          Files.createDirectories(target.getParent());
          Files.copy(file, target);
        }
      }
    }
  }

  private static boolean skipped(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (SKIPPED.contains(name) || name.startsWith("config-3.11")) {
        return true;
      }
    }
    return false;
  }
}
