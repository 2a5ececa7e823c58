package dev.pbstoolchain.core.patch;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.identity.BinaryIdentity;
import dev.pbstoolchain.binarypatcher.identity.TargetArchitecture;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.Triples;
import dev.pbstoolchain.core.release.ReleaseTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The app binary (every slice of a universal Mach-O) and the bundled libpython must be for the
 * row's target: an x86-64 program beside an aarch64 libpython passes every other check and then
 * fails on every user's machine.
 */
public final class ArchitectureCheck {

  private ArchitectureCheck() {}

  /**
   * What is wrong with {@code file} for {@code target}: {@code FILE is ELF 64-bit x86-64, but the
   * aarch64-unknown-linux-gnu row (matrix.yaml:17) expects ELF 64-bit ARM aarch64}; empty when it
   * matches or the target's architecture is not known here.
   *
   * @param shown how the message names the file
   */
  public static Optional<String> mismatch(Path file, String shown, ReleaseTarget target)
      throws PbsException {
    Optional<TargetArchitecture> expected = TargetArchitecture.of(target.triple());
    if (expected.isEmpty()) {
      return Optional.empty();
    }
    BinaryIdentity identity;
    try {
      identity = BinaryIdentity.read(file);
    } catch (BinaryFormatException e) {
      return Optional.of(
          shown
              + " is no program "
              + target.rowText()
              + " can ship ("
              + e.getMessage()
              + "); it expects "
              + expected.get().description());
    }
    return expected
        .get()
        .mismatch(identity)
        .map(
            what ->
                shown
                    + " is "
                    + what
                    + ", but "
                    + target.rowText()
                    + " expects "
                    + expected.get().description());
  }

  /**
   * The binary as built and the libpython pbs:fetch unpacked, checked before pbs:patch writes
   * anything; each problem says what to do.
   */
  public static List<String> problems(ReleaseTarget target) throws PbsException {
    List<String> problems = new ArrayList<>();
    mismatch(target.binary(), target.binary().toString(), target)
        .ifPresent(
            m ->
                problems.add(
                    m
                        + ": build the app for "
                        + target.triple()
                        + " (cargo build --target "
                        + target.triple()
                        + ", or that target's cross compiler) and point binary: of that row at"
                        + " it"));
    for (Path libpython : libpythons(target.home(), target.triple())) {
      mismatch(libpython, libpython + " (the bundled libpython)", target)
          .ifPresent(
              m ->
                  problems.add(
                      m
                          + ": the Python fetched for this row is for another target; delete "
                          + target.paths().pbsDir()
                          + " and run pbs:fetch again (check pbsTriple: of that row and the"
                          + " mirror's archive)"));
    }
    return problems;
  }

  /**
   * The libpython files of a Python home: {@code lib/libpython3*.so*} (Linux), {@code
   * lib/libpython3*.dylib} (macOS), {@code python3*.dll} (Windows), links left out.
   */
  public static List<Path> libpythons(Path home, String triple) throws PbsException {
    boolean windows = Triples.isWindows(triple);
    Path dir = windows ? home : home.resolve("lib");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .filter(
              f -> {
                String name = f.getFileName().toString();
                return windows
                    ? name.startsWith("python3") && name.endsWith(".dll")
                    : name.startsWith("libpython3")
                        && (name.contains(".so") || name.endsWith(".dylib"));
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw PbsException.failure("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
