package dev.pbstoolchain.core.pyo3;

import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.Triples;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A PyO3 build configuration ({@code PYO3_CONFIG_FILE}) derived from an unpacked PBS tree: which
 * libpython to link and where it is, read from the files, never assumed.
 *
 * @param version {@code 3.X}
 * @param libName {@code python3.X} (Unix) or {@code python3X} (Windows), with a {@code t} for a
 *     free-threaded build
 * @param libDir the directory holding the library to link
 * @param executable the interpreter
 * @param freeThreaded a free-threaded (no GIL) build: PyO3 must compile for that ABI
 * @param pointerWidth the target's pointer size in bits, which PyO3 checks against cargo's target
 */
public record Pyo3Config(
    String version,
    String libName,
    Path libDir,
    Path executable,
    boolean freeThreaded,
    int pointerWidth) {

  // A "t" marks a free-threaded build (PBS's freethreaded flavours): libpython3.13t.so,
  // python313t.lib.
  private static final Pattern UNIX_LIB = Pattern.compile("libpython(3\\.\\d+)(t?)\\.(so|dylib)");
  private static final Pattern WINDOWS_LIB = Pattern.compile("python3(\\d+)(t?)\\.lib");

  /** Reads the tree at {@code home} (the {@code python/} directory) for {@code triple}. */
  public static Pyo3Config from(Path home, String triple) throws PbsException {
    if (!Files.isDirectory(home)) {
      throw PbsException.configuration(
          home + " does not exist: run pbs:fetch for " + triple + " before pbs:pyo3-config");
    }
    int pointerWidth = Triples.pointerWidth(triple);
    if (Triples.isWindows(triple)) {
      Path libs = home.resolve("libs");
      Matcher lib =
          library(
              libs,
              WINDOWS_LIB,
              "python3X.lib import library",
              home,
              "shared Windows CPython build");
      // PBS copies a free-threaded python3.13t.exe to python.exe as well.
      return new Pyo3Config(
          "3." + lib.group(1),
          "python3" + lib.group(1) + lib.group(2),
          libs,
          home.resolve("python.exe"),
          !lib.group(2).isEmpty(),
          pointerWidth);
    }
    Path libDir = home.resolve("lib");
    Matcher lib =
        library(
            libDir,
            UNIX_LIB,
            "libpython3.X.so or .dylib",
            home,
            "shared CPython build (PyO3 needs shared=true)");
    String version = lib.group(1);
    String abiFlags = lib.group(2);
    return new Pyo3Config(
        version,
        "python" + version + abiFlags,
        libDir,
        home.resolve("bin/python" + version + abiFlags),
        !abiFlags.isEmpty(),
        pointerWidth);
  }

  /**
   * The first file name in {@code dir} that {@code pattern} matches, by name so the choice does not
   * vary; none (or no {@code dir}) means {@code home} is not the {@code build} PyO3 needs, and the
   * message says which {@code library} was looked for.
   */
  private static Matcher library(Path dir, Pattern pattern, String library, Path home, String build)
      throws PbsException {
    Optional<Matcher> found = Optional.empty();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        found =
            files
                .map(p -> p.getFileName().toString())
                .sorted()
                .map(pattern::matcher)
                .filter(Matcher::matches)
                .findFirst();
      } catch (IOException e) {
        throw PbsException.failure("Cannot list " + dir + ": " + e.getMessage(), e);
      }
    }
    return found.orElseThrow(
        () ->
            PbsException.failure(
                dir + " holds no " + library + ": " + home + " is not a " + build));
  }

  /**
   * The file's text, in the key=value format PyO3 reads. {@code Py_GIL_DISABLED} is how PyO3 learns
   * that a build is free-threaded (it then never targets abi3).
   */
  public String render() {
    return "implementation=CPython\n"
        + "version="
        + version
        + "\nshared=true\nabi3=false\nlib_name="
        + libName
        + "\nlib_dir="
        + libDir.toAbsolutePath()
        + "\nexecutable="
        + executable.toAbsolutePath()
        + "\npointer_width="
        + pointerWidth
        + "\nbuild_flags="
        + (freeThreaded ? "Py_GIL_DISABLED" : "")
        + "\nsuppress_build_script_link_lines=false\n";
  }

  /** Writes the file atomically. */
  public Path write(Path file) throws PbsException {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".pyo3-", ".tmp");
      Files.writeString(temp, render(), StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw PbsException.failure("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
