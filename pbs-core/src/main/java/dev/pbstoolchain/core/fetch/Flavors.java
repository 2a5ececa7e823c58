package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.Triples;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The build flavours PBS publishes ({@code install_only_stripped}, {@code pgo+lto-full}, ...) and
 * which of them a given release offers for a given target.
 */
public final class Flavors {

  public static final String INSTALL_ONLY = "install_only";
  public static final String INSTALL_ONLY_STRIPPED = "install_only_stripped";

  /** The builds with full archives, most optimised first (the order licence data prefers). */
  private static final List<String> FULL_BUILDS =
      List.of("pgo+lto", "pgo", "lto", "noopt", "debug");

  /** Every flavour name known to any release, longest first for parsing. */
  static final List<String> ALL_LONGEST_FIRST = allFlavors();

  private Flavors() {}

  /**
   * The flavour that ships: {@code requested} ({@code pbs.flavor}), or when that is not set {@code
   * install_only_stripped}, or {@code install_only} for the releases published before stripped
   * archives existed.
   */
  public static String shipped(String requested, int date) {
    if (requested != null && !requested.isBlank()) {
      return requested;
    }
    return date >= PbsDate.STRIPPED ? INSTALL_ONLY_STRIPPED : INSTALL_ONLY;
  }

  /** True for the {@code *-full} flavours, shipped as {@code .tar.zst} with build metadata. */
  public static boolean isFull(String flavor) {
    return flavor.endsWith("-full");
  }

  /** The archive extension PBS uses for a flavour. */
  public static String extension(String flavor) {
    return isFull(flavor) ? "tar.zst" : "tar.gz";
  }

  /** The flavours the release {@code date} publishes for {@code triple}, in a stable order. */
  public static List<String> available(int date, String triple) {
    List<String> flavors = new ArrayList<>();
    flavors.add(INSTALL_ONLY);
    if (date >= PbsDate.STRIPPED) {
      flavors.add(INSTALL_ONLY_STRIPPED);
    }
    List<String> builds = fullBuilds(date, triple);
    for (String build : builds) {
      flavors.add(build + "-full");
    }
    if (date >= PbsDate.FREETHREADED) {
      for (String build : builds) {
        flavors.add("freethreaded+" + build + "-full");
      }
      if (date >= PbsDate.FREETHREADED_INSTALL_ONLY) {
        flavors.add("freethreaded-" + INSTALL_ONLY);
        flavors.add("freethreaded-" + INSTALL_ONLY_STRIPPED);
      }
    }
    return List.copyOf(flavors);
  }

  /**
   * The full archive to read licence data for a shipped {@code flavor} from: the most optimised
   * build the release has, free-threaded when the shipped build is (its PYTHON.json and its
   * provenance then describe what ships).
   */
  public static Optional<String> licenceSource(int date, String triple, String flavor) {
    String prefix = flavor.startsWith("freethreaded") ? "freethreaded+" : "";
    List<String> available = available(date, triple);
    return FULL_BUILDS.stream()
        .map(build -> prefix + build + "-full")
        .filter(available::contains)
        .findFirst();
  }

  /** Which optimisation builds have a full archive for this target at this date. */
  private static List<String> fullBuilds(int date, String triple) {
    if (Triples.isWindows(triple)) {
      // Windows builds are PGO'd with MSVC; no LTO variants are published.
      return List.of("pgo", "debug", "noopt");
    }
    boolean native64 =
        triple.startsWith("x86_64") || Triples.isDarwin(triple) || triple.startsWith("aarch64");
    List<String> builds = new ArrayList<>();
    if (native64) {
      builds.add("pgo+lto");
      if (date <= PbsDate.LAST_PGO_FULL) {
        builds.add("pgo");
      }
    }
    builds.add("lto");
    builds.add("debug");
    builds.add("noopt");
    return builds;
  }

  private static List<String> allFlavors() {
    List<String> all = new ArrayList<>(List.of(INSTALL_ONLY, INSTALL_ONLY_STRIPPED));
    for (String build : FULL_BUILDS) {
      all.add(build + "-full");
      all.add("freethreaded+" + build + "-full");
    }
    all.add("freethreaded-" + INSTALL_ONLY);
    all.add("freethreaded-" + INSTALL_ONLY_STRIPPED);
    all.sort(Comparator.comparingInt(String::length).reversed());
    return List.copyOf(all);
  }
}
