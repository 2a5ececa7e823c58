package dev.pbstoolchain.core.packaging;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.elf.DynamicEntry;
import dev.pbstoolchain.binarypatcher.elf.ElfFile;
import dev.pbstoolchain.binarypatcher.elf.VersionNeed;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The requirements rpm 4.18's {@code elfdeps --requires} (what rpmbuild runs on every ELF file of a
 * package) derives from one file: each needed library as {@code libc.so.6()(64bit)}, each symbol
 * version needed from it as {@code libc.so.6(GLIBC_2.17)(64bit)}, and {@code rtld(GNU_HASH)} when
 * the file has only a GNU hash table.
 */
final class RpmElfRequires {

  static final long DT_HASH = 4;
  static final long DT_GNU_HASH = 0x6ffffef5L;

  /** Alpha, the one 64-bit machine rpm gives no {@code (64bit)} marker. */
  private static final int EM_ALPHA = 0x9026;

  private static final int EM_FAKE_ALPHA = 41;

  private RpmElfRequires() {}

  /**
   * @param executable whether any execute bit is set: elfdeps skips a program (a file with a
   *     program interpreter) that cannot be run, never a library
   */
  static SortedSet<String> of(ElfFile elf, boolean executable) throws BinaryFormatException {
    SortedSet<String> requires = new TreeSet<>();
    if (elf.type() != ElfFile.ET_EXEC && elf.type() != ElfFile.ET_DYN) {
      return requires;
    }
    if (elf.interpreter().isPresent() && !executable) {
      return requires;
    }
    String marker = marker(elf);
    for (VersionNeed need : elf.versionNeeds()) {
      for (String version : need.versions()) {
        add(requires, need.file(), version, marker);
      }
    }
    for (String needed : elf.needed()) {
      add(requires, needed, null, marker);
    }
    boolean hash = false;
    boolean gnuHash = false;
    for (DynamicEntry entry : elf.dynamicEntries()) {
      hash |= entry.tag() == DT_HASH;
      gnuHash |= entry.tag() == DT_GNU_HASH;
    }
    if (gnuHash && !hash) {
      requires.add("rtld(GNU_HASH)");
    }
    return requires;
  }

  private static String marker(ElfFile elf) {
    return elf.is64() && elf.machine() != EM_ALPHA && elf.machine() != EM_FAKE_ALPHA
        ? "(64bit)"
        : "";
  }

  private static void add(
      SortedSet<String> requires, String soname, String version, String marker) {
    if (skipped(soname)) {
      return;
    }
    requires.add(
        version == null && marker.isEmpty()
            ? soname
            : soname + "(" + (version == null ? "" : version) + ")" + marker);
  }

  /** elfdeps' soname filter: a library ({@code lib*.so*}) or the dynamic loader, nothing else. */
  static boolean skipped(String soname) {
    if (soname.isBlank() || !soname.contains(".so")) {
      return true;
    }
    return !(soname.startsWith("lib")
        || soname.startsWith("ld.")
        || soname.startsWith("ld-")
        || soname.startsWith("ld6"));
  }

  /** The soname a requirement names: {@code libc.so.6} of {@code libc.so.6(GLIBC_2.17)(64bit)}. */
  static String soname(String requirement) {
    int paren = requirement.indexOf('(');
    return paren < 0 ? requirement : requirement.substring(0, paren);
  }
}
