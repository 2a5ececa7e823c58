package dev.pbstoolchain.plugin.release;

import dev.pbstoolchain.plugin.pbs.Triples;
import java.nio.file.Path;
import java.util.List;

/**
 * One row of the matrix, resolved to files.
 *
 * @param triple target triple
 * @param binary the built app binary
 * @param home the unpacked PBS {@code python/} tree
 * @param formats artifact formats
 * @param rpath RUNPATH override for this target, or empty
 * @param extras what the deb and rpm carry besides the program and python/
 */
public record ReleaseTarget(
    String triple,
    Path binary,
    Path home,
    List<String> formats,
    String rpath,
    PackageExtras extras) {

  public ReleaseTarget {
    formats = List.copyOf(formats);
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
