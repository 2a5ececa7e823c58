package dev.pbstoolchain.binarypatcher.elf;

import java.nio.ByteBuffer;

/**
 * One {@code Elf_Shdr}, as read; fields named as in the spec without the {@code sh_} prefix.
 * Immutable: an edit lays out changed copies ({@link #at}, {@link #movedBy}), never changes the
 * read model.
 */
public final class SectionHeader {

  public static final int SHT_NULL = 0;
  public static final int SHT_SYMTAB = 2;
  public static final int SHT_STRTAB = 3;
  public static final int SHT_RELA = 4;
  public static final int SHT_HASH = 5;
  public static final int SHT_DYNAMIC = 6;
  public static final int SHT_NOTE = 7;
  public static final int SHT_NOBITS = 8;
  public static final int SHT_REL = 9;
  public static final int SHT_DYNSYM = 11;
  public static final int SHT_GNU_HASH = 0x6ffffff6;
  public static final int SHT_GNU_VERSYM = 0x6fffffff;

  final int nameIndex;
  final String name;
  final int type;
  final long flags;
  final long addr;
  final long offset;
  final long size;
  final int link;
  final int info;
  final long addralign;
  final long entsize;

  public static final long SHF_ALLOC = 2;

  /** An SHT_NULL entry: all zeros. */
  SectionHeader() {
    this(0, "", 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  SectionHeader(
      int nameIndex,
      String name,
      int type,
      long flags,
      long addr,
      long offset,
      long size,
      int link,
      int info,
      long addralign,
      long entsize) {
    this.nameIndex = nameIndex;
    this.name = name;
    this.type = type;
    this.flags = flags;
    this.addr = addr;
    this.offset = offset;
    this.size = size;
    this.link = link;
    this.info = info;
    this.addralign = addralign;
    this.entsize = entsize;
  }

  /** This header with its name read from the section name table. */
  SectionHeader named(String value) {
    return new SectionHeader(
        nameIndex, value, type, flags, addr, offset, size, link, info, addralign, entsize);
  }

  /**
   * This header describing bytes at {@code newOffset} and {@code newAddr}, {@code newSize} long.
   */
  SectionHeader at(long newOffset, long newAddr, long newSize) {
    return new SectionHeader(
        nameIndex, name, type, flags, newAddr, newOffset, newSize, link, info, addralign, entsize);
  }

  /** This header moved by {@code offsetDelta} in the file and {@code addrDelta} in memory. */
  SectionHeader movedBy(long offsetDelta, long addrDelta) {
    return at(offset + offsetDelta, addr + addrDelta, size);
  }

  static int size(ElfCodec c) {
    return c.is64 ? 64 : 40;
  }

  static SectionHeader from(ElfCodec c, ByteBuffer b, int pos) {
    int nameIndex = b.getInt(pos);
    int type = b.getInt(pos + 4);
    if (c.is64) {
      return new SectionHeader(
          nameIndex,
          "",
          type,
          b.getLong(pos + 8),
          b.getLong(pos + 16),
          b.getLong(pos + 24),
          b.getLong(pos + 32),
          b.getInt(pos + 40),
          b.getInt(pos + 44),
          b.getLong(pos + 48),
          b.getLong(pos + 56));
    }
    return new SectionHeader(
        nameIndex,
        "",
        type,
        c.u32(b, pos + 8),
        c.u32(b, pos + 12),
        c.u32(b, pos + 16),
        c.u32(b, pos + 20),
        b.getInt(pos + 24),
        b.getInt(pos + 28),
        c.u32(b, pos + 32),
        c.u32(b, pos + 36));
  }

  byte[] toBytes(ElfCodec c) {
    java.nio.ByteBuffer b = c.allocate(size(c));
    b.putInt(0, nameIndex);
    b.putInt(4, type);
    if (c.is64) {
      b.putLong(8, flags);
      b.putInt(40, link);
      b.putInt(44, info);
      b.putLong(48, addralign);
      b.putLong(56, entsize);
    } else {
      b.putInt(8, (int) flags);
      b.putInt(24, link);
      b.putInt(28, info);
      b.putInt(32, (int) addralign);
      b.putInt(36, (int) entsize);
    }
    writeLocationTo(c, b, 0);
    return b.array();
  }

  /** Writes back the fields an edit may change: address, offset and size. */
  void writeLocationTo(ElfCodec c, ByteBuffer b, int pos) {
    if (c.is64) {
      b.putLong(pos + 16, addr);
      b.putLong(pos + 24, offset);
      b.putLong(pos + 32, size);
    } else {
      b.putInt(pos + 12, (int) addr);
      b.putInt(pos + 16, (int) offset);
      b.putInt(pos + 20, (int) size);
    }
  }

  public String name() {
    return name;
  }

  public int type() {
    return type;
  }

  public long addr() {
    return addr;
  }

  public long offset() {
    return offset;
  }

  public long size() {
    return size;
  }
}
