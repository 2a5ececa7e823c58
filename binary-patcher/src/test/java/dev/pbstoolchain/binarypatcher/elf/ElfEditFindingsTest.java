package dev.pbstoolchain.binarypatcher.elf;

import static dev.pbstoolchain.binarypatcher.testing.OurCli.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.binarypatcher.testing.Hello;
import dev.pbstoolchain.binarypatcher.testing.HelloBuilds;
import dev.pbstoolchain.binarypatcher.testing.Tool;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Findings of the ElfEdit fuzz target (kept in ElfEditFuzzTestInputs), each reproduced on a program
 * gcc builds here and judged by patchelf, readelf and the loader. The byte patches stand for the
 * fuzzer's: each test says which field it changes.
 */
class ElfEditFindingsTest {

  private static final String BUNDLE = "$ORIGIN/python/lib:$ORIGIN/../lib/embedded-app/python/lib";

  private static HelloBuilds hello;
  @TempDir Path work;

  @BeforeAll
  static void compile(@TempDir Path built) {
    hello = HelloBuilds.pieAndNoPie(built);
  }

  /**
   * A NEEDED name holding a byte that is no UTF-8 (0x97 for the 'l' of libc.so.6): the name
   * needed() returns, handed back to removeNeeded, removes it. It used to come back with U+FFFD,
   * which names other bytes: the edit "succeeded" and removed nothing.
   */
  @Test
  void aNeededNameThatIsNoUtf8IsRemovedByTheNameTheReaderGave() throws Exception {
    Path pie = hello.copy("pie", work);
    byte[] bytes = Files.readAllBytes(pie);
    int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("libc.so.6\0");
    bytes[at] = (byte) 0x97;
    Files.write(pie, bytes);
    ElfFile elf = ElfFile.read(pie);
    String name = elf.needed().get(0);
    assertThat(name).isEqualTo("\udc97ibc.so.6");

    ElfEditor.apply(pie, elf, ElfEdit.builder().removeNeeded(name).build());

    assertThat(ElfFile.read(pie).needed()).isEmpty();
    assertThat(Tool.run("patchelf", "--print-needed", pie.toString()).orFail().stdout()).isEmpty();
  }

  /**
   * PT_DYNAMIC whose p_offset (0x40 lower) disagrees with where its PT_LOAD maps its address: the
   * loader reads the table at the address, so an edit written at the offset is one it never sees
   * (the output had lost DT_STRTAB). Refused, the file left as it was.
   */
  @Test
  void aDynamicSegmentWhoseOffsetIsNotItsAddressIsRefused() throws Exception {
    Path pie = hello.copy("pie", work);
    ElfFile elf = ElfFile.read(pie);
    int dynamic = ElfPatches.programHeader(elf, ProgramHeader.PT_DYNAMIC);
    ProgramHeader header = elf.programHeaders().get(dynamic);
    long field = ElfPatches.programHeaderAt(elf, dynamic) + 8;
    byte[] bytes = Files.readAllBytes(pie);
    ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong((int) field, header.offset() - 64);
    Files.write(pie, bytes);

    assertThat(cli("patchelf", "--set-rpath", "/x", pie.toString()))
        .isEqualTo(
            "exit 1: patchelf: "
                + pie
                + ": PT_DYNAMIC says offset 0x"
                + Long.toHexString(header.offset() - 64)
                + " but its address 0x"
                + Long.toHexString(header.vaddr())
                + " is at offset 0x"
                + Long.toHexString(header.offset())
                + " of its PT_LOAD segment: the file is corrupt\n");
    assertThat(Files.readAllBytes(pie)).isEqualTo(bytes);
  }

  /**
   * A .interp section without SHF_ALLOC right after the program header table: the table grew over
   * the interpreter path PT_INTERP still pointed at. PT_INTERP's bytes now move out of the table's
   * way with the other sections, on a PIE (new segment) and a non-PIE executable (shifted file).
   */
  @Test
  void anUnallocatedInterpreterSectionMovesOutOfTheGrowingTable() throws Exception {
    for (String name : new String[] {"pie", "nopie"}) {
      Path program = hello.copy(name, work);
      ElfFile elf = ElfFile.read(program);
      int interp = ElfPatches.section(elf, ".interp");
      long flags = elf.sections().get(interp).flags;
      ElfPatches.putLong( // sh_flags
          program, ElfPatches.sectionHeaderAt(elf, interp) + 8, flags & ~SectionHeader.SHF_ALLOC);

      assertThat(cli("patchelf", "--set-rpath", BUNDLE, program.toString())).isEqualTo("exit 0");

      assertThat(ElfFile.read(program).interpreter()).contains("/lib64/ld-linux-x86-64.so.2");
      assertThat(Tool.run("patchelf", "--print-interpreter", program.toString()).orFail().stdout())
          .isEqualTo("/lib64/ld-linux-x86-64.so.2\n");
      assertThat(Tool.run("readelf", "-lW", program.toString()).orFail().stderr()).isEmpty();
      Hello.assertRuns(program);
    }
  }

  /**
   * A .dynstr section whose sh_type is no longer SHT_STRTAB (0x7b000003, the fuzzer's byte): the
   * grown string table moved and its old bytes were cleared, but the section header, not recognised
   * by its type, still named them, so readelf -r printed every relocation's symbol without a name.
   * The section at DT_STRTAB's offset follows the table whatever its type.
   */
  @Test
  void aDynstrSectionOfAnotherTypeFollowsTheMovedTable() throws Exception {
    for (String name : new String[] {"pie", "nopie"}) {
      Path program = hello.copy(name, work);
      ElfFile elf = ElfFile.read(program);
      int dynstr = ElfPatches.section(elf, ".dynstr");
      ElfPatches.putInt(
          program, ElfPatches.sectionHeaderAt(elf, dynstr) + 4, 0x7b000003); // sh_type
      String before = relocations(program);
      assertThat(before).contains("__libc_start_main");
      List<Relocation> entries = ElfFile.read(program).dynamicRelocations();

      assertThat(cli("patchelf", "--set-rpath", BUNDLE, program.toString())).isEqualTo("exit 0");

      assertThat(relocations(program)).isEqualTo(before);
      assertThat(ElfFile.read(program).dynamicRelocations()).isEqualTo(entries);
      Hello.assertRuns(program);
    }
  }

  /**
   * DT_RELA pointing at .interp (right after the program header table) with DT_RELASZ larger than
   * the sections that move with the growing table (.interp and the notes): the layout moved those
   * sections and DT_RELA with them, and the loader would have read the rest of the table from
   * whatever followed the moved copy. The table now moves whole: the relocations read through the
   * dynamic tags, by us and by readelf -D, are the same before and after. (Garbage entries: the
   * program no longer starts either way; the test is about the layout keeping the table whole.)
   */
  @Test
  void aRelocationTableInTheMovingBlockMovesWhole() throws Exception {
    Path program = hello.copy("pie", work);
    ElfFile elf = ElfFile.read(program);
    SectionHeader interp = elf.sections().get(ElfPatches.section(elf, ".interp"));
    byte[] bytes = Files.readAllBytes(program);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < elf.dynamicEntries().size(); i++) {
      long tag = elf.dynamicEntries().get(i).tag();
      int at = (int) (elf.dynamicSegment.offset + 16L * i);
      if (tag == DynamicEntry.DT_RELA) {
        b.putLong(at + 8, interp.addr());
      } else if (tag == DynamicRelocations.DT_RELASZ) {
        b.putLong(at + 8, 24 * 10); // 240 bytes: past .interp and the notes, into .gnu.hash
      }
    }
    Files.write(program, bytes);
    ElfFile mutated = ElfFile.read(program);
    List<Relocation> before = mutated.dynamicRelocations();
    String readelfBefore = dynamicRelocations(program);

    assertThat(cli("patchelf", "--set-rpath", BUNDLE, program.toString())).isEqualTo("exit 0");

    assertThat(ElfFile.read(program).dynamicRelocations()).isEqualTo(before);
    assertThat(dynamicRelocations(program)).isEqualTo(readelfBefore);
  }

  /**
   * DT_STRSZ 16 bytes larger than .dynstr, so the string table the dynamic tags name reaches into
   * .gnu.version after it: the grown table moved and its old bytes, cleared, took the symbol
   * versions with them (readelf -r printed printf without @GLIBC_2.2.5). Bytes another section
   * holds are no longer cleared, on a PIE (new segment) and a non-PIE executable (shifted file).
   */
  @Test
  void clearingTheOldDynstrLeavesTheSectionsItOverlaps() throws Exception {
    for (String name : new String[] {"pie", "nopie"}) {
      Path program = hello.copy(name, work);
      ElfFile elf = ElfFile.read(program);
      SectionHeader dynstr = elf.sections().get(ElfPatches.section(elf, ".dynstr"));
      assertThat(elf.sections().get(ElfPatches.section(elf, ".gnu.version")).offset())
          .isLessThan(dynstr.offset() + dynstr.size() + 16);
      byte[] bytes = Files.readAllBytes(program);
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < elf.dynamicEntries().size(); i++) {
        if (elf.dynamicEntries().get(i).tag() == DynamicEntry.DT_STRSZ) {
          b.putLong((int) (elf.dynamicSegment.offset + 16L * i + 8), dynstr.size() + 16);
        }
      }
      Files.write(program, bytes);
      String before = relocations(program);
      assertThat(before).contains("@GLIBC_2.");

      assertThat(cli("patchelf", "--set-rpath", BUNDLE, program.toString())).isEqualTo("exit 0");

      assertThat(relocations(program)).isEqualTo(before);
      Hello.assertRuns(program);
    }
  }

  /** readelf -rW through the section headers, the tables' file offsets left out. */
  private static String relocations(Path program) {
    return Tool.run("readelf", "-rW", program.toString())
        .orFail()
        .stdout()
        .replaceAll("at offset 0x[0-9a-f]+", "at offset -");
  }

  /** readelf -rDW: the tables the dynamic tags name, the tables' file offsets left out. */
  private static String dynamicRelocations(Path program) {
    return Tool.run("readelf", "-rDW", program.toString())
        .orFail()
        .stdout()
        .replaceAll("at offset 0x[0-9a-f]+", "at offset -");
  }

  /**
   * Version needs whose DT_VERNEED points at the ELF header (offset 4: vn_cnt's high byte is
   * EI_OSABI): --set-os-abi used to succeed and leave a chain that no longer reads (its vn_aux then
   * pointed past the end of the file). Refused, the file left as it was.
   */
  @Test
  void aVersionNeedOverTheElfHeaderIsRefusedByAnEditOfTheHeader() throws Exception {
    Path pie = hello.copy("pie", work);
    setDynamic(pie, DynamicEntry.DT_VERNEED, 4);
    setDynamic(pie, DynamicEntry.DT_VERNEEDNUM, 1);
    byte[] bytes = Files.readAllBytes(pie);
    ElfFile.read(pie);

    assertThat(cli("patchelf", "--set-os-abi", "freebsd", pie.toString()))
        .isEqualTo(
            "exit 1: patchelf: "
                + pie
                + ": the .gnu.version_r entry at offset 0x4 (16 bytes) shares bytes with what this"
                + " edit writes (output offset 0x7), so the edit would change it: the file is"
                + " corrupt\n");
    assertThat(Files.readAllBytes(pie)).isEqualTo(bytes);
  }

  /**
   * DT_RELA naming the bytes of .dynsym: --rename-dynamic-symbols rewrites the symbol table (and
   * may rewrite relocation sections), and the old check took every rewrite as the table's own, so
   * the relocations the loader reads changed. Only a relocation section's own rewrite is taken now.
   */
  @Test
  void aRelocationTableOverTheSymbolTableIsRefusedByARename() throws Exception {
    Path pie = hello.copy("pie", work);
    ElfFile elf = ElfFile.read(pie);
    SectionHeader dynsym = elf.section(SectionHeader.SHT_DYNSYM);
    setDynamic(pie, DynamicEntry.DT_RELA, dynsym.addr());
    setDynamic(pie, DynamicRelocations.DT_RELASZ, dynsym.size());
    setDynamic(pie, DT_RELACOUNT, 0);
    byte[] bytes = Files.readAllBytes(pie);
    Path map = work.resolve("map");
    Files.writeString(map, "puts renamed_puts_for_the_test\n");

    assertThat(cli("patchelf", "--rename-dynamic-symbols", map.toString(), pie.toString()))
        .startsWith(
            "exit 1: patchelf: "
                + pie
                + ": the relocation table DT_RELA names at offset 0x"
                + Long.toHexString(dynsym.offset())
                + " ("
                + dynsym.size()
                + " bytes) shares bytes with what this edit writes");
    assertThat(Files.readAllBytes(pie)).isEqualTo(bytes);
  }

  /** DT_RELACOUNT: how many leading DT_RELA entries are relative (0 keeps the loader off them). */
  private static final long DT_RELACOUNT = 0x6ffffff9L;

  /** Sets the value of the first dynamic entry with {@code tag} (a 64-bit little-endian file). */
  private static void setDynamic(Path file, long tag, long value) throws Exception {
    ElfFile elf = ElfFile.read(file);
    long table = elf.dynamicSegment.offset();
    for (int i = 0; i < elf.dynamicSlots; i++) {
      ByteBuffer entry = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      try (var channel = java.nio.channels.FileChannel.open(file)) {
        channel.read(entry, table + 16L * i);
      }
      if (entry.getLong(0) == tag) {
        ElfPatches.putLong(file, table + 16L * i + 8, value);
        return;
      }
    }
    throw new AssertionError("no dynamic entry " + Long.toHexString(tag) + " in " + file);
  }
}
