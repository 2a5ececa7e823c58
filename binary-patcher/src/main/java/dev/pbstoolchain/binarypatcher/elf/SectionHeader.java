package dev.pbstoolchain.binarypatcher.elf;

import java.nio.ByteBuffer;

/** One {@code Elf_Shdr}; fields named as in the spec without the {@code sh_} prefix. */
public final class SectionHeader {

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

  int nameIndex;
  String name = "";
  int type;
  long flags;
  long addr;
  long offset;
  long size;
  int link;
  int info;
  long addralign;
  long entsize;

  public static final long SHF_ALLOC = 2;

  SectionHeader copy() {
    SectionHeader s = new SectionHeader();
    s.nameIndex = nameIndex;
    s.name = name;
    s.type = type;
    s.flags = flags;
    s.addr = addr;
    s.offset = offset;
    s.size = size;
    s.link = link;
    s.info = info;
    s.addralign = addralign;
    s.entsize = entsize;
    return s;
  }

  static int size(ElfCodec c) {
    return c.is64 ? 64 : 40;
  }

  static SectionHeader from(ElfCodec c, ByteBuffer b, int pos) {
    SectionHeader s = new SectionHeader();
    s.nameIndex = b.getInt(pos);
    s.type = b.getInt(pos + 4);
    if (c.is64) {
      s.flags = b.getLong(pos + 8);
      s.addr = b.getLong(pos + 16);
      s.offset = b.getLong(pos + 24);
      s.size = b.getLong(pos + 32);
      s.link = b.getInt(pos + 40);
      s.info = b.getInt(pos + 44);
      s.addralign = b.getLong(pos + 48);
      s.entsize = b.getLong(pos + 56);
    } else {
      s.flags = c.u32(b, pos + 8);
      s.addr = c.u32(b, pos + 12);
      s.offset = c.u32(b, pos + 16);
      s.size = c.u32(b, pos + 20);
      s.link = b.getInt(pos + 24);
      s.info = b.getInt(pos + 28);
      s.addralign = c.u32(b, pos + 32);
      s.entsize = c.u32(b, pos + 36);
    }
    return s;
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
