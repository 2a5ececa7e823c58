package dev.pbstoolchain.binarypatcher.elf;

import java.nio.ByteBuffer;

/**
 * One {@code Elf_Phdr}, as read; fields named as in the spec without the {@code p_} prefix.
 * Immutable: an edit lays out changed copies ({@link #placed}, {@link #movedBy}), never changes the
 * read model.
 */
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

  final int type;
  final int flags;
  final long offset;
  final long vaddr;
  final long paddr;
  final long filesz;
  final long memsz;
  final long align;

  ProgramHeader(
      int type,
      int flags,
      long offset,
      long vaddr,
      long paddr,
      long filesz,
      long memsz,
      long align) {
    this.type = type;
    this.flags = flags;
    this.offset = offset;
    this.vaddr = vaddr;
    this.paddr = paddr;
    this.filesz = filesz;
    this.memsz = memsz;
    this.align = align;
  }

  /** A new header of {@code type} with nothing placed yet (offset, address and size 0). */
  static ProgramHeader unplaced(int type, int flags, long align) {
    return new ProgramHeader(type, flags, 0, 0, 0, 0, 0, align);
  }

  static ProgramHeader from(ElfCodec c, ByteBuffer b, int pos) {
    int type = b.getInt(pos);
    if (c.is64) {
      return new ProgramHeader(
          type,
          b.getInt(pos + 4),
          b.getLong(pos + 8),
          b.getLong(pos + 16),
          b.getLong(pos + 24),
          b.getLong(pos + 32),
          b.getLong(pos + 40),
          b.getLong(pos + 48));
    }
    return new ProgramHeader(
        type,
        b.getInt(pos + 24),
        c.u32(b, pos + 4),
        c.u32(b, pos + 8),
        c.u32(b, pos + 12),
        c.u32(b, pos + 16),
        c.u32(b, pos + 20),
        c.u32(b, pos + 28));
  }

  /** This segment at {@code newOffset} and {@code newVaddr} (also p_paddr), {@code size} long. */
  ProgramHeader placed(long newOffset, long newVaddr, long size) {
    return new ProgramHeader(type, flags, newOffset, newVaddr, newVaddr, size, size, align);
  }

  /** This segment moved by {@code offsetDelta} in the file and {@code addrDelta} in memory. */
  ProgramHeader movedBy(long offsetDelta, long addrDelta) {
    return new ProgramHeader(
        type,
        flags,
        offset + offsetDelta,
        vaddr + addrDelta,
        paddr + addrDelta,
        filesz,
        memsz,
        align);
  }

  /**
   * This segment starting {@code shift} bytes lower in memory at {@code newVaddr}, at the same file
   * offset, so it also maps the {@code shift} bytes put before its old start.
   */
  ProgramHeader extendedDown(long shift, long newVaddr) {
    return new ProgramHeader(
        type, flags, offset, newVaddr, paddr - shift, filesz + shift, memsz + shift, align);
  }

  ProgramHeader withFlags(int value) {
    return new ProgramHeader(type, value, offset, vaddr, paddr, filesz, memsz, align);
  }

  ProgramHeader withSize(long size) {
    return new ProgramHeader(type, flags, offset, vaddr, paddr, size, size, align);
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
