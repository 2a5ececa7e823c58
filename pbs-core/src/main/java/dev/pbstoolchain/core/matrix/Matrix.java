package dev.pbstoolchain.core.matrix;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The release matrix ({@code matrix.yaml}): which PBS release, which app, and one row per target.
 *
 * @param date PBS release tag, e.g. {@code 20241016}
 * @param version CPython version, e.g. {@code 3.11.10}
 * @param app what is being released
 * @param targets one row per target triple, in file order
 * @param names artifact file name templates by format ({@code names:}), sorted by format; formats
 *     not listed keep the usual names
 * @param image the {@code image:} block, or null when the release has no container image
 * @param sources where each value is in the file, for messages about it
 */
public record Matrix(
    String date,
    String version,
    App app,
    List<Target> targets,
    Map<String, String> names,
    ImageBlock image,
    Sources sources) {

  public Matrix {
    targets = List.copyOf(targets);
    // Sorted, not Map.copyOf: its iteration order changes from one JVM to the next.
    names = Collections.unmodifiableSortedMap(new TreeMap<>(names));
  }

  /** Where the value at {@code path} (e.g. {@code app.maintainer}) is in matrix.yaml. */
  public Source source(String path) {
    return sources.at(path);
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
   * @param longDescription the deb's extended description and rpm's %description; empty for none
   */
  public record App(
      String name,
      String description,
      String maintainer,
      String homepage,
      String license,
      String version,
      String longDescription) {}

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
   * @param packaging what this row's deb and rpm carry besides the program and python/
   * @param smoke how pbs:verify runs this row's artifacts (the row's {@code smoke:} over the
   *     top-level one), if at all
   * @param exclude the extension modules to leave out of this row (the top-level {@code exclude}
   *     and the row's own), sorted
   * @param runner the CI runners of this row's build job ({@code runner:}); empty labels mean
   *     pbs:ci-matrix's default for the triple
   * @param sources where the row's values are, by paths relative to the row ({@code formats})
   */
  public record Target(
      String triple,
      String binary,
      List<String> formats,
      String pbsTriple,
      String rpath,
      Packaging packaging,
      Optional<Smoke> smoke,
      SortedSet<String> exclude,
      Runner runner,
      Sources sources) {

    public Target {
      formats = List.copyOf(formats);
      exclude = Collections.unmodifiableSortedSet(new TreeSet<>(exclude));
      runner = runner == null ? Runner.DEFAULT : runner;
    }

    /** Where the row starts in matrix.yaml. */
    public Source source() {
      return sources.at("");
    }

    /** The line the row starts on, for {@code matrix.yaml:LINE} in messages. */
    public int line() {
      return source().line();
    }

    /** Where one of the row's values is, e.g. {@code source("formats")}. */
    public Source source(String key) {
      return sources.at(key);
    }
  }

  /**
   * A smoke run ({@code smoke: {args: [...], expect: REGEX, timeout: 30s}}).
   *
   * @param args the app's arguments
   * @param expect a regular expression its output must contain; empty for any output
   * @param timeout how long one run may take
   */
  public record Smoke(List<String> args, String expect, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public Smoke {
      args = List.copyOf(args);
    }
  }

  /**
   * The CI runners a row's build job runs on (pbs:ci-matrix): a GitHub Actions {@code runs-on}
   * label and a GitLab runner tag; empty for the default of the row's triple.
   */
  public record Runner(String github, String gitlab) {
    public static final Runner DEFAULT = new Runner("", "");
  }

  /**
   * The deb and rpm extras of a server package ({@code packaging:} at the top of matrix.yaml for
   * every row, and per row to change single keys).
   *
   * @param section deb Section
   * @param group rpm Group
   * @param vendor rpm Vendor
   * @param compression deb data and rpm payload compression: gzip, xz or zstd
   * @param depends deb Depends, added to those found by scanning the bundled Python
   * @param requires rpm Requires, likewise
   * @param recommends deb and rpm Recommends
   * @param conflicts deb and rpm Conflicts
   * @param provides deb and rpm Provides
   * @param files extra files (docs, configuration, systemd units), sources relative to the project
   * @param directories directories the package owns, with their owner, group and mode
   * @param symlinks symbolic links the package installs
   * @param scripts maintainer script files by deb name (preinst, postinst, prerm, postrm)
   * @param systemLibraries sonames the app takes from the system, each with the Debian package
   *     providing it ({@code systemLibraries: [{soname: libssl.so.3, deb: libssl3}]}), in order
   * @param changelog the changelog file in Debian's format, relative to the project; empty for the
   *     one-entry changelog of the release
   */
  public record Packaging(
      String section,
      String group,
      String vendor,
      String compression,
      List<String> depends,
      List<String> requires,
      List<String> recommends,
      List<String> conflicts,
      List<String> provides,
      List<PackagedFile> files,
      List<OwnedDirectory> directories,
      List<Symlink> symlinks,
      Map<String, String> scripts,
      Map<String, String> systemLibraries,
      String changelog) {

    /** No extras: gzip, the default Section and Group, nothing added. */
    public static final Packaging NONE =
        new Packaging(
            "utils",
            "Applications/System",
            "",
            "gzip",
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            Map.of(),
            Map.of(),
            "");

    public Packaging {
      depends = List.copyOf(depends);
      requires = List.copyOf(requires);
      recommends = List.copyOf(recommends);
      conflicts = List.copyOf(conflicts);
      provides = List.copyOf(provides);
      files = List.copyOf(files);
      directories = List.copyOf(directories);
      symlinks = List.copyOf(symlinks);
      scripts = Map.copyOf(scripts);
      // Declaration order, for the Depends field.
      systemLibraries = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(systemLibraries));
    }
  }

  /**
   * An extra file of the deb and rpm.
   *
   * @param source path relative to the project directory
   * @param destination absolute install path
   * @param mode permission bits
   * @param config whether the package manager keeps the user's edits (conffile, %config(noreplace))
   * @param owner user name owning the installed file
   * @param group its group name
   */
  public record PackagedFile(
      String source, String destination, int mode, boolean config, String owner, String group) {}

  /**
   * A symbolic link the deb and rpm install.
   *
   * @param path absolute path of the link
   * @param target what it points to, as {@code ln -s} takes it
   */
  public record Symlink(String path, String target) {}

  /**
   * A directory the deb and rpm own, e.g. a service's state directory.
   *
   * @param path absolute path
   * @param owner user name
   * @param group group name
   * @param mode permission bits
   */
  public record OwnedDirectory(String path, String owner, String group, int mode) {}
}
