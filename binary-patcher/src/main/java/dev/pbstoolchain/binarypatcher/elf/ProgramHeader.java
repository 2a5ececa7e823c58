package dev.pbstoolchain.binarypatcher.elf;

import java.nio.ByteBuffer;

/** One {@code Elf_Phdr}; fields named as in the spec without the {@code p_} prefix. */
public final class ProgramHeader {

  public static final int PT_NULL = 0;
  public static final int PT_LOAD = 1;
  public static final int PT_DYNAMIC = 2;
  public static final int PT_INTERP = 3;
  public static final int PT_NOTE = 4;
  public static final int PT_PHDR = 6;
  public static final int PT_GNU_STACK = 0x6474e551;
  public static final int PT_GNU_RELRO = 0x6474e552;
  public static final int PF_X = 1;
  public static final int PF_W = 2;
  public static final int PF_R = 4;

  int type;
  int flags;
  long offset;
  long vaddr;
  long paddr;
  long filesz;
  long memsz;
  long align;

  ProgramHeader() {}

  static ProgramHeader from(ElfCodec c, ByteBuffer b, int pos) {
    ProgramHeader p = new ProgramHeader();
    p.type = b.getInt(pos);
    if (c.is64) {
      p.flags = b.getInt(pos + 4);
      p.offset = b.getLong(pos + 8);
      p.vaddr = b.getLong(pos + 16);
      p.paddr = b.getLong(pos + 24);
      p.filesz = b.getLong(pos + 32);
      p.memsz = b.getLong(pos + 40);
      p.align = b.getLong(pos + 48);
    } else {
      p.offset = c.u32(b, pos + 4);
      p.vaddr = c.u32(b, pos + 8);
      p.paddr = c.u32(b, pos + 12);
      p.filesz = c.u32(b, pos + 16);
      p.memsz = c.u32(b, pos + 20);
      p.flags = b.getInt(pos + 24);
      p.align = c.u32(b, pos + 28);
    }
    return p;
  }

  void writeTo(ElfCodec c, ByteBuffer b, int pos) {
    b.putInt(pos, type);
    if (c.is64) {
      b.putInt(pos + 4, flags);
      b.putLong(pos + 8, offset);
      b.putLong(pos + 16, vaddr);
      b.putLong(pos + 24, paddr);
      b.putLong(pos + 32, filesz);
      b.putLong(pos + 40, memsz);
      b.putLong(pos + 48, align);
    } else {
      b.putInt(pos + 4, (int) offset);
      b.putInt(pos + 8, (int) vaddr);
      b.putInt(pos + 12, (int) paddr);
      b.putInt(pos + 16, (int) filesz);
      b.putInt(pos + 20, (int) memsz);
      b.putInt(pos + 24, flags);
      b.putInt(pos + 28, (int) align);
    }
  }

  ProgramHeader copy() {
    ProgramHeader p = new ProgramHeader();
    p.type = type;
    p.flags = flags;
    p.offset = offset;
    p.vaddr = vaddr;
    p.paddr = paddr;
    p.filesz = filesz;
    p.memsz = memsz;
    p.align = align;
    return p;
  }

  public int type() {
    return type;
  }

  public int flags() {
    return flags;
  }

  public long offset() {
    return offset;
  }

  public long vaddr() {
    return vaddr;
  }

  public long filesz() {
    return filesz;
  }

  public long memsz() {
    return memsz;
  }

  public long align() {
    return align;
  }

  boolean containsVaddr(long address) {
    return type == PT_LOAD
        && Long.compareUnsigned(address, vaddr) >= 0
        && Long.compareUnsigned(address - vaddr, filesz) < 0;
  }
}
