package dev.pbstoolchain.plugin.matrix;

import java.util.List;
import java.util.Optional;

/**
 * The release matrix ({@code matrix.yaml}): which PBS release, which app, and one row per target.
 *
 * @param date PBS release tag, e.g. {@code 20241016}
 * @param version CPython version, e.g. {@code 3.11.10}
 * @param app what is being released
 * @param targets one row per target triple, in file order
 */
public record Matrix(String date, String version, App app, List<Target> targets) {

  public Matrix {
    targets = List.copyOf(targets);
  }

  /** The triples of every row, in file order. */
  public List<String> triples() {
    return targets.stream().map(Target::triple).toList();
  }

  /** The row for an app triple or a PBS triple. */
  public Optional<Target> targetFor(String triple) {
    return targets.stream()
        .filter(t -> t.triple().equals(triple) || t.pbsTriple().equals(triple))
        .findFirst();
  }

  /** The row for a triple. */
  public Optional<Target> target(String triple) {
    return targets.stream().filter(t -> t.triple().equals(triple)).findFirst();
  }

  /**
   * The application being released.
   *
   * @param name package and binary name
   * @param description one-line summary, then optional longer text
   * @param maintainer {@code Name <email>}
   * @param homepage project URL
   * @param license SPDX id of the app itself
   * @param version the release version; empty for the project's version
   */
  public record App(
      String name,
      String description,
      String maintainer,
      String homepage,
      String license,
      String version) {}

  /**
   * One target row.
   *
   * @param triple the target triple the binary is built for
   * @param binary the built binary, relative to the project directory
   * @param formats the artifact formats to produce ({@code tar.gz}, {@code deb}, {@code rpm},
   *     {@code zip})
   * @param pbsTriple the PBS build to ship when it differs from the app's triple (e.g. an app built
   *     as {@code x86_64-pc-windows-gnu} ships PBS's {@code x86_64-pc-windows-msvc})
   * @param rpath the RUNPATH for this target, or empty for the default
   */
  public record Target(
      String triple, String binary, List<String> formats, String pbsTriple, String rpath) {

    public Target {
      formats = List.copyOf(formats);
    }
  }
}
