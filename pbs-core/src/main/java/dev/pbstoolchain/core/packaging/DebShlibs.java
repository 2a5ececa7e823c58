package dev.pbstoolchain.core.packaging;

import dev.pbstoolchain.binarypatcher.elf.ElfAudit;
import dev.pbstoolchain.binarypatcher.elf.ElfFile;
import dev.pbstoolchain.binarypatcher.elf.VersionNeed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code libc6} and {@code libgcc-s1} dependencies dpkg-shlibdeps writes for a package's ELF
 * files. Debian's symbols files give every glibc symbol the version of the {@code GLIBC_x.y} node
 * it is bound to, and every libgcc_s symbol the GCC release of its {@code GCC_x.y.z} node, so the
 * highest version node any file needs from those libraries is the minimum package version.
 */
final class DebShlibs {

  /** The shared libraries Debian's libc6 package ships (dynamic loaders are matched by name). */
  static final Set<String> GLIBC_LIBRARIES =
      Set.of(
          "libc.so.6",
          "libm.so.6",
          "libmvec.so.1",
          "libpthread.so.0",
          "libdl.so.2",
          "librt.so.1",
          "libutil.so.1",
          "libresolv.so.2",
          "libanl.so.1",
          "libnsl.so.1",
          "libBrokenLocale.so.1",
          "libthread_db.so.1",
          "libc_malloc_debug.so.0");

  static final String LIBGCC_S = "libgcc_s.so.1";

  /**
   * The one glibc version node not named after a release: binaries packed with DT_RELR need the
   * 2.36 loader. dpkg-shlibdeps misses it (it looks at symbols only, and no symbol carries this
   * node), so a 2.35 system would install the package and then refuse to start it.
   */
  static final String GLIBC_ABI_DT_RELR = "GLIBC_ABI_DT_RELR";

  static final String GLIBC_ABI_DT_RELR_RELEASE = "2.36";

  private boolean libc;
  private String glibc;
  private boolean libgcc;
  private String gcc;

  /** Adds what one ELF file needs. */
  void add(ElfFile elf) throws dev.pbstoolchain.binarypatcher.BinaryFormatException {
    for (String needed : elf.needed()) {
      libc |= isGlibc(needed);
      libgcc |= needed.equals(LIBGCC_S);
    }
    for (VersionNeed need : elf.versionNeeds()) {
      for (String node : need.versions()) {
        if (isGlibc(need.file())) {
          libc = true;
          glibcRelease(node).ifPresent(v -> glibc = max(glibc, v));
        } else if (need.file().equals(LIBGCC_S)) {
          libgcc = true;
          gccRelease(node).ifPresent(v -> gcc = max(gcc, v));
        }
      }
    }
  }

  /** {@code libc6 (>= 2.34)}, {@code libgcc-s1 (>= 3.0)}: the relations found, in dpkg's order. */
  List<String> depends() {
    List<String> depends = new ArrayList<>();
    if (libc) {
      depends.add(glibc == null ? "libc6" : "libc6 (>= " + glibc + ")");
    }
    if (libgcc) {
      depends.add(gcc == null ? "libgcc-s1" : "libgcc-s1 (>= " + gcc + ")");
    }
    return depends;
  }

  /** The highest GLIBC_ release needed, if any. */
  Optional<String> glibc() {
    return Optional.ofNullable(glibc);
  }

  static boolean isGlibc(String soname) {
    return GLIBC_LIBRARIES.contains(soname)
        || soname.startsWith("ld-linux")
        || soname.startsWith("ld64.so.")
        || soname.equals("ld.so.1");
  }

  /** {@code GLIBC_2.17} -> 2.17; GLIBC_PRIVATE names no release. */
  static Optional<String> glibcRelease(String node) {
    if (node.equals(GLIBC_ABI_DT_RELR)) {
      return Optional.of(GLIBC_ABI_DT_RELR_RELEASE);
    }
    String version = node.startsWith("GLIBC_") ? node.substring("GLIBC_".length()) : "";
    return version.matches("\\d+(\\.\\d+)*") ? Optional.of(version) : Optional.empty();
  }

  /**
   * {@code GCC_3.0} -> 3.0, {@code GCC_4.2.0} -> 4.2, {@code GCC_7.0.0} -> 7: Debian names the GCC
   * release that added a node, major.minor before GCC 5 and the major alone since.
   */
  static Optional<String> gccRelease(String node) {
    String version = node.startsWith("GCC_") ? node.substring("GCC_".length()) : "";
    if (!version.matches("\\d+(\\.\\d+)*")) {
      return Optional.empty();
    }
    String[] parts = version.split("\\.");
    if (Integer.parseInt(parts[0]) >= 5) {
      return Optional.of(parts[0]);
    }
    if (parts.length == 3 && parts[2].equals("0")) {
      return Optional.of(parts[0] + "." + parts[1]);
    }
    return Optional.of(version);
  }

  private static String max(String current, String candidate) {
    return current == null || ElfAudit.compareVersions(candidate, current) > 0
        ? candidate
        : current;
  }
}
