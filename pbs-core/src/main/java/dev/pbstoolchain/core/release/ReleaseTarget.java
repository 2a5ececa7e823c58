package dev.pbstoolchain.core.release;

import dev.pbstoolchain.core.Triples;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One row of the matrix, resolved to files.
 *
 * @param triple the PBS triple shipped (the row's {@code pbsTriple}, else its {@code triple})
 * @param binary the built app binary
 * @param formats artifact formats
 * @param rpath RUNPATH override for this target, or empty
 * @param extras what the deb and rpm carry besides the program and python/
 * @param paths where the steps put this target's files
 * @param row where the row is, for messages: {@code matrix.yaml:17}
 * @param smoke how pbs:verify runs this target's artifacts, if it does
 */
public record ReleaseTarget(
    String triple,
    Path binary,
    List<String> formats,
    String rpath,
    PackageExtras extras,
    TargetPaths paths,
    String row,
    Optional<SmokeSpec> smoke) {

  public ReleaseTarget {
    formats = List.copyOf(formats);
  }

  /** {@code the aarch64-unknown-linux-gnu row (matrix.yaml:17)}: the row in messages. */
  public String rowText() {
    return "the " + triple + " row (" + row + ")";
  }

  /** The unpacked PBS Python home this target ships. */
  public Path home() {
    return paths.home();
  }

  /** The binary as pbs:patch stages it for the packagers. */
  public Path stagedBinary() {
    return paths.stageDir().resolve(binary.getFileName());
  }

  public boolean isLinux() {
    return triple.contains("-linux-");
  }

  public boolean isDarwin() {
    return Triples.isDarwin(triple);
  }

  public boolean isWindows() {
    return Triples.isWindows(triple);
  }

  /** {@code linux_amd64}, {@code darwin_arm64}, {@code windows_amd64}: classifier and name part. */
  public String platform() {
    String os = isWindows() ? "windows" : isDarwin() ? "darwin" : "linux";
    String arch =
        triple.startsWith("aarch64")
            ? "arm64"
            : triple.startsWith("x86_64") ? "amd64" : triple.substring(0, triple.indexOf('-'));
    return os + "_" + arch;
  }
}
