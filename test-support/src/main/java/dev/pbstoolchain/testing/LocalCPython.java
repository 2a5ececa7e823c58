package dev.pbstoolchain.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The machine's real CPython 3.11 with a shared libpython (Debian's {@code libpython3.11-dev},
 * which {@code .ci/run} installs), laid out as a PBS {@code install_only} archive: {@code
 * python/bin}, {@code python/lib/libpython3.11.so*}, {@code python/include/python3.11} and the
 * standard library.
 */
public final class LocalCPython {

  public static final String VERSION = "3.11";
  public static final Path LIBPYTHON = Path.of("/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0");
  public static final Path EXECUTABLE = Path.of("/usr/bin/python3.11");
  public static final Path STDLIB = Path.of("/usr/lib/python3.11");
  public static final Path INCLUDE = Path.of("/usr/include/python3.11");
  public static final Path MULTIARCH_PYCONFIG =
      Path.of("/usr/include/x86_64-linux-gnu/python3.11/pyconfig.h");

  /** Parts of the standard library an embedded interpreter never needs; keeps archives small. */
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
          "distutils");

  /** The few stdlib modules the fetch tests look at, for small fast archives. */
  private static final List<String> MINIMAL_STDLIB =
      List.of("os.py", "abc.py", "encodings/__init__.py", "encodings/utf_8.py");

  private LocalCPython() {}

  /**
   * The install_only tree.
   *
   * @param fullStdlib the whole standard library (for running embedded Python) or a handful of
   *     modules (for fetch tests)
   */
  public static TarEntries installOnly(boolean fullStdlib) {
    require(LIBPYTHON);
    TarEntries tar = new TarEntries();
    tar.file("python/bin/python3.11", EXECUTABLE, 0755);
    tar.symlink("python/bin/python3", "python3.11");
    tar.file("python/lib/libpython3.11.so.1.0", LIBPYTHON, 0755);
    tar.symlink("python/lib/libpython3.11.so", "libpython3.11.so.1.0");
    try (Stream<Path> headers = Files.walk(INCLUDE)) {
      for (Path header : headers.sorted().toList()) {
        if (Files.isRegularFile(header)) {
          String relative = INCLUDE.relativize(header).toString();
          Path source = relative.equals("pyconfig.h") ? MULTIARCH_PYCONFIG : header;
          tar.file("python/include/python3.11/" + relative, source, 0644);
        }
      }
      if (fullStdlib) {
        addStdlib(tar);
      } else {
        for (String module : MINIMAL_STDLIB) {
          tar.file("python/lib/python3.11/" + module, STDLIB.resolve(module), 0644);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tar;
  }

  /**
   * A PBS {@code *-full.tar.zst} tree: {@code python/PYTHON.json} (a faithful v8 document for the
   * triple), the real licence texts PBS ships (the fixtures' {@code pbs/licenses}), and the
   * interpreter under {@code python/install}.
   */
  public static TarEntries full(Path json, Path licenses) {
    TarEntries tar = new TarEntries();
    tar.file("python/PYTHON.json", json, 0644);
    tar.file("python/install/lib/libpython3.11.so.1.0", LIBPYTHON, 0755);
    try (Stream<Path> files = Files.list(licenses)) {
      for (Path license : files.sorted().toList()) {
        tar.file("python/licenses/" + license.getFileName(), license, 0644);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tar;
  }

  /**
   * The interpreter ({@code bin/python3.11} and {@code bin/python3}), libpython (and its {@code
   * libpython3.11.so} link) and the standard library less what an embedded interpreter never needs
   * and {@code alsoSkipped} (directory names), copied into {@code python}; no headers. The {@code
   * python/} tree an app embedding this CPython ships beside it.
   */
  public static void copyRuntime(Path python, Set<String> alsoSkipped) throws IOException {
    require(LIBPYTHON);
    Files.createDirectories(python.resolve("bin"));
    Files.createDirectories(python.resolve("lib"));
    Files.copy(EXECUTABLE, python.resolve("bin/python3.11"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.createSymbolicLink(python.resolve("bin/python3"), Path.of("python3.11"));
    Files.copy(
        LIBPYTHON, python.resolve("lib/libpython3.11.so.1.0"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.createSymbolicLink(
        python.resolve("lib/libpython3.11.so"), Path.of("libpython3.11.so.1.0"));
    Path stdlib = python.resolve("lib/python3.11");
    Files.createDirectories(stdlib);
    for (Path relative : stdlib(alsoSkipped)) {
      Path target = stdlib.resolve(relative.toString());
      Files.createDirectories(target.getParent());
      Files.copy(STDLIB.resolve(relative), target);
    }
  }

  private static void addStdlib(TarEntries tar) throws IOException {
    for (Path relative : stdlib(Set.of())) {
      Path file = STDLIB.resolve(relative);
      tar.file("python/lib/python3.11/" + relative, file, Files.isExecutable(file) ? 0755 : 0644);
    }
  }

  /** The standard library's files, relative to it, sorted, less SKIPPED and {@code alsoSkipped}. */
  private static List<Path> stdlib(Set<String> alsoSkipped) throws IOException {
    try (Stream<Path> files = Files.walk(STDLIB)) {
      return files
          .sorted()
          .filter(Files::isRegularFile)
          .map(STDLIB::relativize)
          .filter(relative -> !skipped(relative, alsoSkipped))
          .toList();
    }
  }

  private static boolean skipped(Path relative, Set<String> alsoSkipped) {
    for (Path part : relative) {
      String name = part.toString();
      if (SKIPPED.contains(name) || alsoSkipped.contains(name) || name.startsWith("config-3.11")) {
        return true;
      }
    }
    return false;
  }

  private static void require(Path path) {
    if (!Files.exists(path)) {
      throw new IllegalStateException(
          path + " is missing: install libpython3.11-dev and python3.11 (see .ci/run)");
    }
  }
}
