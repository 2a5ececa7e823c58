package dev.pbstoolchain.plugin.pyo3;

import dev.pbstoolchain.plugin.pbs.PbsException;
import dev.pbstoolchain.plugin.pbs.Triples;
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
 * @param libName {@code python3.X} (Unix) or {@code python3X} (Windows)
 * @param libDir the directory holding the library to link
 * @param executable the interpreter
 */
public record Pyo3Config(String version, String libName, Path libDir, Path executable) {

  private static final Pattern UNIX_LIB = Pattern.compile("libpython(3\\.\\d+)\\.(so|dylib)");
  private static final Pattern WINDOWS_LIB = Pattern.compile("python3(\\d+)\\.lib");

  /** Reads the tree at {@code home} (the {@code python/} directory) for {@code triple}. */
  public static Pyo3Config from(Path home, String triple) throws PbsException {
    if (!Files.isDirectory(home)) {
      throw PbsException.configuration(
          home + " does not exist: run pbs:fetch for " + triple + " before pbs:pyo3-config");
    }
    if (Triples.isWindows(triple)) {
      Path libs = home.resolve("libs");
      String minor =
          find(libs, WINDOWS_LIB)
              .orElseThrow(
                  () ->
                      PbsException.failure(
                          libs
                              + " holds no python3X.lib import library: "
                              + home
                              + " is not a shared Windows CPython build"));
      return new Pyo3Config("3." + minor, "python3" + minor, libs, home.resolve("python.exe"));
    }
    Path lib = home.resolve("lib");
    String version =
        find(lib, UNIX_LIB)
            .orElseThrow(
                () ->
                    PbsException.failure(
                        lib
                            + " holds no libpython3.X.so or .dylib: "
                            + home
                            + " is not a shared CPython build (PyO3 needs shared=true)"));
    Path executable = home.resolve("bin/python" + version);
    return new Pyo3Config(version, "python" + version, lib, executable);
  }

  private static Optional<String> find(Path dir, Pattern pattern) throws PbsException {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> pattern.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> m.group(1))
          .sorted()
          .findFirst();
    } catch (IOException e) {
      throw PbsException.failure("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The file's text, in the key=value format PyO3 reads. */
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
        + "\npointer_width=64\nbuild_flags=\nsuppress_build_script_link_lines=false\n";
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
