package dev.pbstoolchain.binarypatcher.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.elf.DynamicEntry;
import dev.pbstoolchain.binarypatcher.elf.ElfEdit;
import dev.pbstoolchain.binarypatcher.elf.ElfEditor;
import dev.pbstoolchain.binarypatcher.elf.ElfFile;
import dev.pbstoolchain.binarypatcher.elf.ProgramHeader;
import dev.pbstoolchain.binarypatcher.elf.Relocation;
import dev.pbstoolchain.binarypatcher.elf.SectionHeader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The ELF editor on mutated files, in place: an edit either succeeds, and the file then reads back
 * with the edit visible and its dynamic relocations as they were (same tables, entries, offsets,
 * types and addends, by our reader and, when the layout moved bytes, by {@code readelf -r}), or is
 * refused with a message and the file is byte for byte unchanged.
 */
class ElfEditFuzzTest {

  static final String BUNDLE = "$ORIGIN/python/lib:$ORIGIN/../lib/embedded-app/python/lib";
  static final String INTERPRETER = "/lib64/./././././././././././././ld-linux-x86-64.so.2";

  @FuzzTest(maxDuration = "5s")
  void editOrRefuse(byte[] data) throws BinaryFormatException {
    fuzzerTestOneInput(data);
  }

  public static void fuzzerTestOneInput(byte[] data) {
    FuzzInput input = FuzzInput.of("elf", data);
    Path file = input.write("elf-edit");
    ElfFile before;
    try {
      before = ElfFile.read(file);
    } catch (BinaryFormatException e) {
      FuzzInput.checkMessage(e);
      return;
    }
    int choice = input.edit % 11;
    String first = null;
    try {
      List<String> needed = before.needed();
      first = needed.isEmpty() ? null : needed.get(0);
    } catch (BinaryFormatException e) {
      FuzzInput.checkMessage(e);
    }
    // Read now: the reader reads the tables from the file, which the edit replaces.
    List<Relocation> relocations;
    try {
      relocations = before.dynamicRelocations();
    } catch (BinaryFormatException e) {
      FuzzInput.checkMessage(e);
      relocations = null;
    }
    ElfEdit.Builder edit = ElfEdit.builder();
    switch (choice) {
      case 0 -> edit.setRunpath(BUNDLE);
      case 1 -> edit.setRunpath("/x");
      case 2 -> edit.addNeeded("libm.so.6");
      case 3 -> edit.removeNeeded(first == null ? "libc.so.6" : first);
      case 4 -> edit.replaceNeeded(first == null ? "libc.so.6" : first, "libreplaced.so.9");
      case 5 -> edit.setSoname("libfuzzed-soname.so.1");
      case 6 -> edit.setInterpreter(INTERPRETER);
      case 7 -> edit.addDebugTag().noDefaultLib();
      case 8 -> edit.executableStack(true);
      case 9 -> edit.forceRpath().setRunpath("$ORIGIN");
      default -> edit.removeRunpath();
    }
    try {
      ElfEditor.apply(file, before, edit.build());
    } catch (BinaryFormatException e) {
      input.checkRefusal(e, file);
      return;
    }
    ElfFile after;
    try {
      after = ElfFile.read(file);
    } catch (BinaryFormatException e) {
      throw new AssertionError("edit " + choice + " succeeded but its output does not read", e);
    }
    try {
      check(choice, first, before, after);
    } catch (BinaryFormatException e) {
      throw new AssertionError("edit " + choice + " succeeded but its output does not read", e);
    }
    if (relocations != null) {
      checkRelocations(choice, relocations, before, after, input, file);
    }
  }

  /**
   * The relocation tables the input's dynamic tags name are in the output, whole and unchanged, as
   * our reader sees them and, when the output's length changed (the layout moved or added bytes),
   * as readelf sees them through the section headers and through the dynamic tags.
   */
  private static void checkRelocations(
      int choice,
      List<Relocation> before,
      ElfFile read,
      ElfFile after,
      FuzzInput input,
      Path file) {
    List<Relocation> now;
    try {
      now = after.dynamicRelocations();
    } catch (BinaryFormatException e) {
      throw FuzzInput.violated(
          "edit " + choice + " made the relocation tables unreadable: " + e.getMessage());
    }
    if (!now.equals(before)) {
      throw FuzzInput.violated(
          "edit "
              + choice
              + " changed the dynamic relocations: "
              + before.size()
              + " entries before, "
              + now.size()
              + " after, first difference "
              + firstDifference(before, now));
    }
    byte[] output = FuzzInput.read(file);
    if (output.length == input.file.length || !Readelf.judging()) {
      return;
    }
    Path original = input.write("elf-edit.orig");
    // Through the section headers only when they say where the tables are: a relocation section
    // whose sh_offset is not where its sh_addr is mapped names other bytes (the program header
    // table, say), which an edit may rightly rewrite; the loader never reads them.
    boolean sectionsTrusted = relocationSectionsWhereMapped(read);
    for (String flags : sectionsTrusted ? new String[] {"-rW", "-rDW"} : new String[] {"-rDW"}) {
      String was = Readelf.relocations(flags, original);
      String is = Readelf.relocations(flags, file);
      if (was != null && !was.equals(is)) {
        throw FuzzInput.violated(
            "edit " + choice + ": readelf " + flags + " differs:\n" + was + "\n---\n" + is);
      }
    }
  }

  /** Whether every SHT_REL/SHT_RELA section with an address lies where a PT_LOAD maps it. */
  private static boolean relocationSectionsWhereMapped(ElfFile elf) {
    for (SectionHeader s : elf.sections()) {
      boolean relocations = s.type() == SectionHeader.SHT_REL || s.type() == SectionHeader.SHT_RELA;
      if (relocations && s.addr() != 0 && !mappedAt(elf, s.addr(), s.offset())) {
        return false;
      }
    }
    return true;
  }

  private static boolean mappedAt(ElfFile elf, long addr, long offset) {
    for (ProgramHeader p : elf.programHeaders()) {
      long into = addr - p.vaddr();
      if (p.type() == ProgramHeader.PT_LOAD && into >= 0 && into < p.filesz()) {
        return p.offset() + into == offset;
      }
    }
    return false;
  }

  private static String firstDifference(List<Relocation> a, List<Relocation> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      if (!a.get(i).equals(b.get(i))) {
        return "at " + i + ": " + a.get(i) + " became " + b.get(i);
      }
    }
    return "at " + Math.min(a.size(), b.size());
  }

  private static void check(int choice, String first, ElfFile before, ElfFile after)
      throws BinaryFormatException {
    boolean visible =
        switch (choice) {
          case 0 -> after.runpath().equals(Optional.of(BUNDLE));
          case 1 -> after.runpath().equals(Optional.of("/x"));
          case 2 -> after.needed().contains("libm.so.6");
          case 3 -> first == null || !after.needed().contains(first);
          case 4 -> first == null || after.needed().contains("libreplaced.so.9");
          case 5 -> after.soname().equals(Optional.of("libfuzzed-soname.so.1"));
          case 6 -> after.interpreter().equals(Optional.of(INTERPRETER));
          case 7 -> after.dynamicEntries().stream().anyMatch(e -> e.tag() == DynamicEntry.DT_DEBUG);
          case 8 -> after.executableStack().equals(Optional.of(true));
          case 9 -> after.rpath().equals(Optional.of("$ORIGIN"));
          default -> after.runpath().isEmpty() && after.rpath().isEmpty();
        };
    if (!visible) {
      throw FuzzInput.violated("edit " + choice + " succeeded but is not in the output");
    }
    if (after.needed().size() < before.needed().size() - (choice == 3 ? 64 : 0)) {
      throw FuzzInput.violated("edit " + choice + " lost DT_NEEDED entries");
    }
  }
}
