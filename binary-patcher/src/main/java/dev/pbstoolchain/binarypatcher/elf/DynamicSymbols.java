package dev.pbstoolchain.binarypatcher.elf;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Edits of {@code .dynsym}: patchelf's {@code --clear-symbol-version} (a symbol's {@code
 * .gnu.version} entry becomes 1) and {@code --rename-dynamic-symbols}, which points the renamed
 * entries at new strings, then rebuilds the hash tables the loader looks names up with. A GNU hash
 * table needs its symbols grouped by bucket, so the hashed part of {@code .dynsym} is reordered,
 * and with it {@code .gnu.version} and the symbol indices of the dynamic relocations. Every table
 * keeps its size and place: the result is a list of whole-section rewrites.
 */
final class DynamicSymbols {

  private final ElfFile elf;
  private final ElfCodec c;
  private final StringTable strings;
  private final int entry;

  DynamicSymbols(ElfFile elf, StringTable strings) {
    this.elf = elf;
    this.c = elf.codec;
    this.strings = strings;
    this.entry = c.is64 ? 24 : 16;
  }

  /**
   * The section rewrites for {@code renames} (old name to new name) and {@code clearVersions}
   * (symbols, by old name, whose version entry becomes 1: first, as patchelf orders the two edits,
   * and in one place because renaming may reorder the version table).
   */
  List<PendingWrite> edit(Map<String, String> renames, java.util.Set<String> clearVersions)
      throws BinaryFormatException {
    String purpose =
        renames.isEmpty() ? "no symbol version to clear" : "no dynamic symbol to rename";
    int dynsymIndex = elf.sectionIndex(SectionHeader.SHT_DYNSYM);
    if (dynsymIndex < 0) {
      throw elf.problem("has no .dynsym section, so there is " + purpose);
    }
    SectionHeader dynsym = elf.sections.get(dynsymIndex);
    ByteBuffer symbols = c.wrap(elf.sectionBytes(dynsym, ".dynsym"));
    int count = (int) (dynsym.size / entry);
    String[] names = new String[count];
    boolean renamed = false;
    Map<SectionHeader, ByteBuffer> changed = new LinkedHashMap<>();
    SectionHeader versym = elf.section(SectionHeader.SHT_GNU_VERSYM);
    if (versym == null && !clearVersions.isEmpty()) {
      throw elf.problem("has no .gnu.version section, so there is no symbol version to clear");
    }
    ByteBuffer versions = null;
    if (versym != null) {
      versions = c.wrap(elf.sectionBytes(versym, ".gnu.version"));
      if (versions.limit() / 2 != count) {
        throw elf.problem(
            ".gnu.version has "
                + versions.limit() / 2
                + " entries but .dynsym has "
                + count
                + " symbols (versym size mismatch)");
      }
    }
    for (int i = 0; i < count; i++) {
      long name = c.u32(symbols, i * entry);
      names[i] = name == 0 ? "" : elf.string(name);
      if (versions != null && i > 0 && clearVersions.contains(names[i])) {
        versions.putShort(2 * i, (short) 1);
        changed.put(versym, versions);
      }
      String replacement = renames.get(names[i]);
      if (replacement != null && i > 0) {
        symbols.putInt(i * entry, (int) strings.offsetOf(replacement));
        names[i] = replacement;
        renamed = true;
      }
    }
    if (renamed) {
      changed.put(dynsym, symbols);
      SectionHeader gnuHash = elf.section(SectionHeader.SHT_GNU_HASH);
      if (gnuHash != null) {
        rebuildGnuHash(gnuHash, dynsymIndex, symbols, versym, versions, names, changed);
      }
      SectionHeader sysvHash = elf.section(SectionHeader.SHT_HASH);
      if (sysvHash != null) {
        changed.put(sysvHash, rebuildSysvHash(sysvHash, names));
      }
    }
    List<PendingWrite> writes = new ArrayList<>();
    for (Map.Entry<SectionHeader, ByteBuffer> e : changed.entrySet()) {
      int type = e.getKey().type;
      boolean relocations = type == SectionHeader.SHT_REL || type == SectionHeader.SHT_RELA;
      writes.add(
          new PendingWrite(
              e.getKey().offset,
              e.getValue().array(),
              relocations ? PendingWrite.Kind.RELOCATIONS : PendingWrite.Kind.OTHER));
    }
    return writes;
  }

  /** Regroups the hashed symbols by bucket and rewrites bloom filter, buckets and chains. */
  private void rebuildGnuHash(
      SectionHeader section,
      int dynsymIndex,
      ByteBuffer symbols,
      SectionHeader versym,
      ByteBuffer versions,
      String[] names,
      Map<SectionHeader, ByteBuffer> changed)
      throws BinaryFormatException {
    ByteBuffer table = c.wrap(elf.sectionBytes(section, ".gnu.hash"));
    int words = c.is64 ? 8 : 4;
    if (table.limit() < 16) {
      throw elf.problem(
          ".gnu.hash: hash table header out of range (the section is " + table.limit() + " bytes)");
    }
    int nbuckets = table.getInt(0);
    int symndx = table.getInt(4);
    int maskwords = table.getInt(8);
    int shift2 = table.getInt(12);
    int count = names.length;
    long chainsAt = 16L + (long) maskwords * words + 4L * nbuckets;
    if (nbuckets > 0
        && maskwords > 0
        && chainsAt <= table.limit()
        && noBucketUsed(table, chainsAt - 4L * nbuckets, nbuckets)) {
      // GNU ld's table for a program that exports nothing (symbol index 1, no chains): no symbol
      // is hashed, so a rename changes nothing in it.
      return;
    }
    if (nbuckets <= 0
        || maskwords <= 0
        || symndx < 0
        || symndx > count
        || chainsAt + 4L * (count - symndx) > table.limit()) {
      throw elf.problem(
          ".gnu.hash: hash table header out of range (buckets "
              + nbuckets
              + ", symbol index "
              + symndx
              + ", mask words "
              + maskwords
              + " for "
              + table.limit()
              + " bytes)");
    }
    int hashed = count - symndx;
    Integer[] order = new Integer[hashed];
    int[] hashes = new int[count];
    for (int i = 0; i < hashed; i++) {
      order[i] = i;
      hashes[symndx + i] = gnuHash(names[symndx + i]);
    }
    Arrays.sort(
        order,
        (a, b) ->
            Integer.compareUnsigned(
                bucket(hashes, symndx + a, nbuckets), bucket(hashes, symndx + b, nbuckets)));
    int[] newIndex = new int[count];
    for (int i = 0; i < count; i++) {
      newIndex[i] = i;
    }
    for (int to = 0; to < hashed; to++) {
      newIndex[symndx + order[to]] = symndx + to;
    }
    reorder(symbols, entry, symndx, order);
    String[] reordered = names.clone();
    int[] reorderedHashes = hashes.clone();
    for (int to = 0; to < hashed; to++) {
      reordered[symndx + to] = names[symndx + order[to]];
      reorderedHashes[symndx + to] = hashes[symndx + order[to]];
    }
    System.arraycopy(reordered, 0, names, 0, count);

    if (versions != null) {
      reorder(versions, 2, symndx, order);
      changed.put(versym, versions);
    }
    for (SectionHeader s : elf.sections) {
      boolean relocations = s.type == SectionHeader.SHT_REL || s.type == SectionHeader.SHT_RELA;
      if (relocations && s.link == dynsymIndex) {
        changed.put(s, remapRelocations(s, newIndex));
      }
    }

    int bits = words * 8;
    for (int i = 0; i < maskwords; i++) {
      c.putWord(table, 16 + i * words, 0);
    }
    for (int i = 0; i < nbuckets; i++) {
      table.putInt(16 + maskwords * words + 4 * i, 0);
    }
    for (int i = symndx; i < count; i++) {
      int h = reorderedHashes[i];
      int word = 16 + (int) (Integer.toUnsignedLong(h) / bits % maskwords) * words;
      long mask = c.word(table, word);
      mask |= 1L << (Integer.toUnsignedLong(h) % bits);
      mask |= 1L << ((Integer.toUnsignedLong(h) >>> shift2) % bits);
      c.putWord(table, word, mask);
      int b = bucket(reorderedHashes, i, nbuckets);
      int bucketAt = 16 + maskwords * words + 4 * b;
      if (table.getInt(bucketAt) == 0) {
        table.putInt(bucketAt, i);
      }
      boolean last = i == count - 1 || bucket(reorderedHashes, i + 1, nbuckets) != b;
      table.putInt((int) chainsAt + 4 * (i - symndx), last ? h | 1 : h & ~1);
    }
    changed.put(section, table);
  }

  private static boolean noBucketUsed(ByteBuffer table, long bucketsAt, int nbuckets) {
    for (int i = 0; i < nbuckets; i++) {
      if (table.getInt((int) bucketsAt + 4 * i) != 0) {
        return false;
      }
    }
    return true;
  }

  private ByteBuffer remapRelocations(SectionHeader s, int[] newIndex)
      throws BinaryFormatException {
    ByteBuffer relocs = c.wrap(elf.sectionBytes(s, s.name));
    int size = s.type == SectionHeader.SHT_RELA ? (c.is64 ? 24 : 12) : (c.is64 ? 16 : 8);
    int w = c.wordSize();
    for (int at = 0; at + size <= relocs.limit(); at += size) {
      long info = c.word(relocs, at + w);
      long symbol = c.is64 ? info >>> 32 : info >>> 8;
      if (symbol >= newIndex.length) {
        throw elf.problem(s.name + " refers to symbol " + symbol + ", past the end of .dynsym");
      }
      long mapped = newIndex[(int) symbol];
      long type = c.is64 ? info & 0xffffffffL : info & 0xff;
      c.putWord(relocs, at + w, c.is64 ? mapped << 32 | type : mapped << 8 | type);
    }
    return relocs;
  }

  private ByteBuffer rebuildSysvHash(SectionHeader section, String[] names)
      throws BinaryFormatException {
    ByteBuffer table = c.wrap(elf.sectionBytes(section, ".hash"));
    if (table.limit() < 8) {
      throw elf.problem(".hash: hash table header out of range (the section is too short)");
    }
    int nbucket = table.getInt(0);
    int nchain = table.getInt(4);
    if (nbucket <= 0 || 8L + 4L * nbucket + 4L * nchain > table.limit() || nchain > names.length) {
      throw elf.problem(".hash: hash table header out of range");
    }
    for (int i = 0; i < nbucket + nchain; i++) {
      table.putInt(8 + 4 * i, 0);
    }
    int first = names.length - nchain;
    for (int i = 0; i < nchain; i++) {
      int b = (int) (Integer.toUnsignedLong(sysvHash(names[first + i])) % nbucket);
      int bucketAt = 8 + 4 * b;
      table.putInt(8 + 4 * nbucket + 4 * i, table.getInt(bucketAt));
      table.putInt(bucketAt, i);
    }
    return table;
  }

  /** Moves entries {@code from..} of a table into {@code order} (new position to old). */
  private static void reorder(ByteBuffer table, int size, int from, Integer[] order) {
    byte[] old = table.array().clone();
    for (int to = 0; to < order.length; to++) {
      System.arraycopy(old, (from + order[to]) * size, table.array(), (from + to) * size, size);
    }
  }

  private static int bucket(int[] hashes, int symbol, int nbuckets) {
    return (int) (Integer.toUnsignedLong(hashes[symbol]) % nbuckets);
  }

  /** The GNU hash of a symbol name (dl_new_hash). */
  static int gnuHash(String name) {
    int h = 5381;
    for (byte b : name.getBytes(RawString.latin1())) {
      h = h * 33 + (b & 0xff);
    }
    return h;
  }

  /** The System V ABI hash of a symbol name. */
  static int sysvHash(String name) {
    int h = 0;
    for (byte b : name.getBytes(RawString.latin1())) {
      h = (h << 4) + (b & 0xff);
      int g = h & 0xf0000000;
      if (g != 0) {
        h ^= g >>> 24;
      }
      h &= ~g;
    }
    return h;
  }
}
