package dev.pbstoolchain.binarypatcher.elf;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.identity.Architecture;
import dev.pbstoolchain.binarypatcher.identity.BinaryIdentity;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks what a Linux release promises: the highest GLIBC_/GLIBCXX_/CXXABI_ symbol version an ELF
 * needs (its glibc floor), and that every DT_NEEDED library is either shipped in the bundle (found
 * through RUNPATH/RPATH with {@code $ORIGIN}) or part of the system allow-list.
 */
public final class ElfAudit {

  /**
   * What manylinux-style policies allow an app to take from the system, with the dynamic loader of
   * each glibc CPU python-build-standalone publishes for (x86_64, aarch64, armhf, armel, i686,
   * ppc64le, s390x, riscv64).
   */
  public static final Set<String> DEFAULT_SYSTEM_LIBRARIES =
      Set.of(
          "libc.so.6",
          "libm.so.6",
          "libdl.so.2",
          "libpthread.so.0",
          "librt.so.1",
          "libutil.so.1",
          "libgcc_s.so.1",
          "ld-linux-x86-64.so.2",
          "ld-linux-aarch64.so.1",
          "ld-linux-armhf.so.3",
          "ld-linux.so.3",
          "ld-linux.so.2",
          "ld64.so.2",
          "ld64.so.1",
          "ld-linux-riscv64-lp64d.so.1");

  /**
   * What to check against.
   *
   * @param bundle the directory the app ships; libraries found outside it do not count
   * @param systemLibraries sonames the target system provides
   * @param maxGlibc the highest GLIBC_ version allowed (e.g. {@code 2.23}), or {@code null}
   */
  public record Options(Path bundle, Set<String> systemLibraries, String maxGlibc) {

    public Options {
      systemLibraries = Set.copyOf(systemLibraries);
    }

    public static Options defaults(Path bundle) {
      return new Options(bundle, DEFAULT_SYSTEM_LIBRARIES, null);
    }

    public Options withMaxGlibc(String version) {
      return new Options(bundle, systemLibraries, version);
    }
  }

  /** How one DT_NEEDED entry resolved. */
  public record Dependency(String name, Resolution resolution, Path path) {}

  /** Where a needed library comes from. */
  public enum Resolution {
    BUNDLED,
    SYSTEM,
    MISSING
  }

  /**
   * The audit of one file.
   *
   * @param file the audited file
   * @param maxGlibc the highest GLIBC_x.y needed, if any
   * @param maxGlibcxx the highest GLIBCXX_x.y.z needed, if any
   * @param maxCxxabi the highest CXXABI_x.y needed, if any
   * @param dependencies every DT_NEEDED and how it resolved
   * @param problems readable violations; empty when the file passes
   */
  public record Report(
      Path file,
      Optional<String> maxGlibc,
      Optional<String> maxGlibcxx,
      Optional<String> maxCxxabi,
      List<Dependency> dependencies,
      List<String> problems) {

    public Report {
      dependencies = List.copyOf(dependencies);
      problems = List.copyOf(problems);
    }

    public boolean passed() {
      return problems.isEmpty();
    }

    /** The NEEDED libraries that resolve nowhere. */
    public List<String> missing() {
      return dependencies.stream()
          .filter(d -> d.resolution() == Resolution.MISSING)
          .map(Dependency::name)
          .toList();
    }

    /** The report as people read it. */
    public String toText() {
      StringBuilder text = new StringBuilder();
      text.append(file).append('\n');
      text.append("  glibc floor: ").append(maxGlibc.map(v -> "GLIBC_" + v).orElse("none"));
      maxGlibcxx.ifPresent(v -> text.append(", GLIBCXX_").append(v));
      maxCxxabi.ifPresent(v -> text.append(", CXXABI_").append(v));
      text.append('\n');
      for (Dependency d : dependencies) {
        text.append("  NEEDED ").append(d.name()).append(" -> ");
        switch (d.resolution()) {
          case BUNDLED -> text.append(d.path()).append(" (bundled)");
          case SYSTEM -> text.append("system (allowed)");
          case MISSING -> text.append("NOT FOUND in the bundle nor allowed from the system");
        }
        text.append('\n');
      }
      for (String problem : problems) {
        text.append("  PROBLEM: ").append(problem).append('\n');
      }
      return text.toString();
    }

    /**
     * The report as one JSON object: {@code file}, {@code passed}, {@code maxGlibc}, {@code
     * maxGlibcxx}, {@code maxCxxabi} (null when none), {@code dependencies} ({@code name}, {@code
     * resolution}: BUNDLED, SYSTEM or MISSING, {@code path} or null) and {@code problems}.
     */
    public String toJson() {
      StringBuilder json = new StringBuilder("{");
      json.append("\"file\":").append(Json.string(file.toString()));
      json.append(",\"passed\":").append(passed());
      json.append(",\"maxGlibc\":").append(Json.string(maxGlibc.orElse(null)));
      json.append(",\"maxGlibcxx\":").append(Json.string(maxGlibcxx.orElse(null)));
      json.append(",\"maxCxxabi\":").append(Json.string(maxCxxabi.orElse(null)));
      json.append(",\"dependencies\":[");
      for (int i = 0; i < dependencies.size(); i++) {
        Dependency d = dependencies.get(i);
        json.append(i == 0 ? "" : ",")
            .append("{\"name\":")
            .append(Json.string(d.name()))
            .append(",\"resolution\":")
            .append(Json.string(d.resolution().name()))
            .append(",\"path\":")
            .append(Json.string(d.path() == null ? null : d.path().toString()))
            .append('}');
      }
      json.append("],\"problems\":[");
      for (int i = 0; i < problems.size(); i++) {
        json.append(i == 0 ? "" : ",").append(Json.string(problems.get(i)));
      }
      return json.append("]}").toString();
    }
  }

  private ElfAudit() {}

  public static Report audit(Path file, Options options) throws BinaryFormatException {
    ElfFile elf = ElfFile.read(file);
    Optional<String> glibc = maxVersion(elf, "GLIBC_");
    Optional<String> glibcxx = maxVersion(elf, "GLIBCXX_");
    Optional<String> cxxabi = maxVersion(elf, "CXXABI_");
    List<Dependency> dependencies = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Path bundle = options.bundle().toAbsolutePath().normalize();
    Architecture machine = BinaryIdentity.read(file).images().get(0);
    for (String needed : elf.needed()) {
      List<String> skipped = new ArrayList<>();
      Optional<Path> bundled = findInBundle(elf, file, needed, bundle, machine, skipped);
      if (bundled.isPresent()) {
        dependencies.add(new Dependency(needed, Resolution.BUNDLED, bundled.get()));
      } else if (!skipped.isEmpty()) {
        dependencies.add(new Dependency(needed, Resolution.MISSING, null));
        problems.add(
            needed
                + " in the bundle is for another machine, so the loader skips it: "
                + String.join("; ", skipped)
                + ". Ship the "
                + machine.description()
                + " build of it (or build the program for the bundle's machine)");
      } else if (options.systemLibraries().contains(needed)) {
        dependencies.add(new Dependency(needed, Resolution.SYSTEM, null));
      } else {
        dependencies.add(new Dependency(needed, Resolution.MISSING, null));
        problems.add(
            needed
                + " is needed but is neither in "
                + bundle
                + " (searched RUNPATH "
                + searchPath(elf).orElse("<none>")
                + ") nor an allowed system library; bundle it or add it to the package's"
                + " dependencies");
      }
    }
    if (options.maxGlibc() != null
        && glibc.isPresent()
        && compareVersions(glibc.get(), options.maxGlibc()) > 0) {
      problems.add(
          "needs GLIBC_"
              + glibc.get()
              + " but the release promises glibc "
              + options.maxGlibc()
              + "; build on an older system (or with zig cc / a manylinux image)");
    }
    return new Report(file, glibc, glibcxx, cxxabi, dependencies, problems);
  }

  static Optional<String> searchPath(ElfFile elf) {
    return elf.runpath().or(elf::rpath);
  }

  /**
   * Where the loader finds {@code needed} in the bundle: as glibc's loader does, a file of another
   * class or machine is passed over (and noted in {@code skipped}) and the search goes on.
   */
  private static Optional<Path> findInBundle(
      ElfFile elf,
      Path file,
      String needed,
      Path bundle,
      Architecture machine,
      List<String> skipped) {
    if (needed.contains("/")) {
      Path direct;
      try {
        direct = file.toAbsolutePath().getParent().resolve(needed).normalize();
      } catch (InvalidPathException e) {
        return Optional.empty();
      }
      return Files.exists(direct) && direct.startsWith(bundle) && loads(direct, machine, skipped)
          ? Optional.of(direct)
          : Optional.empty();
    }
    Optional<String> path = searchPath(elf);
    if (path.isEmpty()) {
      return Optional.empty();
    }
    String origin = file.toAbsolutePath().getParent().toString();
    for (String entry : path.get().split(":")) {
      if (entry.isEmpty()) {
        continue;
      }
      String expanded = entry.replace("${ORIGIN}", origin).replace("$ORIGIN", origin);
      Path candidate;
      try {
        candidate = Path.of(expanded).resolve(needed).normalize();
      } catch (InvalidPathException e) {
        // A name the platform cannot spell (non-ASCII under LC_ALL=C) names no file here.
        continue;
      }
      if (candidate.startsWith(bundle)
          && Files.exists(candidate)
          && loads(candidate, machine, skipped)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Whether the loader of a {@code machine} program maps {@code library}. */
  private static boolean loads(Path library, Architecture machine, List<String> skipped) {
    String what;
    try {
      Architecture found = BinaryIdentity.read(library).images().get(0);
      if (found.sameMachine(machine)) {
        return true;
      }
      what = found.description();
    } catch (BinaryFormatException e) {
      what = "no ELF file (" + e.getMessage() + ")";
    }
    skipped.add(library + " is " + what + ", the program " + machine.description());
    return false;
  }

  private static Optional<String> maxVersion(ElfFile elf, String prefix) {
    return elf.versionNeeds().stream()
        .flatMap(n -> n.versions().stream())
        .filter(
            v ->
                v.startsWith(prefix)
                    && v.length() > prefix.length()
                    && Character.isDigit(v.charAt(prefix.length())))
        .map(v -> v.substring(prefix.length()))
        .max(Comparator.comparing(v -> v, ElfAudit::compareVersions));
  }

  /** Compares dotted versions numerically ({@code 2.9 < 2.17}). */
  public static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int p = i < x.length ? parse(x[i]) : 0;
      int q = i < y.length ? parse(y[i]) : 0;
      if (p != q) {
        return Integer.compare(p, q);
      }
    }
    return 0;
  }

  private static int parse(String part) {
    try {
      return Integer.parseInt(part);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
