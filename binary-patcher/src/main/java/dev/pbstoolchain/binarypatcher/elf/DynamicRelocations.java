package dev.pbstoolchain.binarypatcher.elf;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.io.PositionalRead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The dynamic relocation tables as the loader finds them: through the dynamic tags (DT_RELA +
 * DT_RELASZ, DT_REL + DT_RELSZ, DT_JMPREL + DT_PLTRELSZ with DT_PLTREL, DT_RELR + DT_RELRSZ), not
 * through section headers. Read-only; the editor uses it nowhere, tests and fuzz oracles use it to
 * see that an edit left every table whole and where its tags say.
 */
final class DynamicRelocations {

  /** DT_PLTREL: which kind of entries DT_JMPREL holds (DT_RELA or DT_REL). */
  static final long DT_PLTREL = 20;

  static final long DT_RELASZ = 8;
  static final long DT_RELSZ = 18;
  static final long DT_PLTRELSZ = 2;
  static final long DT_RELRSZ = 35;

  private DynamicRelocations() {}

  /** Every dynamic relocation, table by table in the order above, entries in file order. */
  static List<Relocation> read(ElfFile elf) throws BinaryFormatException {
    List<Relocation> all = new ArrayList<>();
    ElfCodec c = elf.codec;
    int w = c.wordSize();
    table(elf, all, DynamicEntry.DT_RELA, DT_RELASZ, "DT_RELA", 3 * w, true);
    table(elf, all, DynamicEntry.DT_REL, DT_RELSZ, "DT_REL", 2 * w, false);
    if (elf.value(DynamicEntry.DT_JMPREL).isPresent()) {
      long kind = elf.value(DT_PLTREL).orElse(DynamicEntry.DT_RELA);
      if (kind != DynamicEntry.DT_RELA && kind != DynamicEntry.DT_REL) {
        throw elf.problem(
            "DT_PLTREL is "
                + kind
                + " (DT_RELA 7 or DT_REL 17 expected): the PLT relocations cannot be read");
      }
      boolean rela = kind == DynamicEntry.DT_RELA;
      table(elf, all, DynamicEntry.DT_JMPREL, DT_PLTRELSZ, "DT_JMPREL", (rela ? 3 : 2) * w, rela);
    }
    relr(elf, all);
    return all;
  }

  /**
   * Where the tables the dynamic tags name lie in the file, for the layout to keep whole: those
   * with bytes that one PT_LOAD maps (one that none maps the loader cannot read, nor can a layout
   * cut it).
   */
  static List<Extent> extents(ElfFile elf) {
    List<Extent> list = new ArrayList<>();
    extent(elf, list, DynamicEntry.DT_RELA, DT_RELASZ, "DT_RELA");
    extent(elf, list, DynamicEntry.DT_REL, DT_RELSZ, "DT_REL");
    extent(elf, list, DynamicEntry.DT_JMPREL, DT_PLTRELSZ, "DT_JMPREL");
    extent(elf, list, DynamicEntry.DT_RELR, DT_RELRSZ, "DT_RELR");
    return list;
  }

  private static void extent(
      ElfFile elf, List<Extent> list, long addressTag, long sizeTag, String name) {
    long size = elf.value(sizeTag).orElse(0L);
    if (elf.value(addressTag).isEmpty() || size <= 0 || size > ElfFile.MAX_TABLE) {
      return;
    }
    try {
      long offset = elf.fileOffset(elf.value(addressTag).get(), size, name);
      list.add(new Extent(name, offset, offset + size));
    } catch (BinaryFormatException e) {
      // Not in the file's mapped bytes: nothing there to keep whole.
    }
  }

  private static void table(
      ElfFile elf,
      List<Relocation> all,
      long addressTag,
      long sizeTag,
      String name,
      int entrySize,
      boolean rela)
      throws BinaryFormatException {
    if (elf.value(addressTag).isEmpty()) {
      return;
    }
    ByteBuffer b = bytes(elf, addressTag, sizeTag, name, entrySize);
    ElfCodec c = elf.codec;
    int w = c.wordSize();
    for (int at = 0; at < b.limit(); at += entrySize) {
      long addend = rela ? c.word(b, at + 2 * w) : 0;
      all.add(new Relocation(addressTag, c.word(b, at), c.word(b, at + w), addend));
    }
  }

  /**
   * DT_RELR (the gABI's compact relative relocations): an even word is an address to relocate, an
   * odd word a bitmap of the words after the last address (bit 0 the marker).
   */
  private static void relr(ElfFile elf, List<Relocation> all) throws BinaryFormatException {
    if (elf.value(DynamicEntry.DT_RELR).isEmpty()) {
      return;
    }
    ElfCodec c = elf.codec;
    int w = c.wordSize();
    ByteBuffer b = bytes(elf, DynamicEntry.DT_RELR, DT_RELRSZ, "DT_RELR", w);
    long next = 0;
    for (int at = 0; at < b.limit(); at += w) {
      long entry = c.word(b, at);
      if ((entry & 1) == 0) {
        all.add(new Relocation(DynamicEntry.DT_RELR, entry, 0, 0));
        next = entry + w;
      } else {
        long where = next;
        for (long bits = entry >>> 1; bits != 0; bits >>>= 1, where += w) {
          if ((bits & 1) != 0) {
            all.add(new Relocation(DynamicEntry.DT_RELR, where, 0, 0));
          }
        }
        next += (long) (8 * w - 1) * w;
      }
    }
  }

  private static ByteBuffer bytes(
      ElfFile elf, long addressTag, long sizeTag, String name, int entrySize)
      throws BinaryFormatException {
    long address = elf.value(addressTag).get();
    long size = elf.value(sizeTag).orElse(0L);
    if (size < 0 || size > ElfFile.MAX_TABLE || size % entrySize != 0) {
      throw elf.problem(
          name
              + "'s size "
              + Long.toUnsignedString(size)
              + " is no multiple of its "
              + entrySize
              + "-byte entries: the relocation table cannot be read");
    }
    long offset = elf.fileOffset(address, size, name);
    try (FileChannel channel = FileChannel.open(elf.path, StandardOpenOption.READ)) {
      ByteBuffer b = elf.codec.allocate((int) size);
      PositionalRead.readFully(channel, b, offset);
      return b;
    } catch (IOException e) {
      throw new BinaryFormatException(elf.path, "cannot read " + name + ": " + e.getMessage(), e);
    }
  }
}
