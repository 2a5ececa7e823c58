package dev.pbstoolchain.binarypatcher.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads and writes the class- and byte-order-dependent fields of one ELF file. */
final class ElfCodec {

  final boolean is64;
  final ByteOrder order;

  ElfCodec(boolean is64, ByteOrder order) {
    this.is64 = is64;
    this.order = order;
  }

  ByteBuffer wrap(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(order);
  }

  ByteBuffer allocate(int size) {
    return ByteBuffer.allocate(size).order(order);
  }

  /** An address, offset or xword: 4 bytes in ELF32, 8 in ELF64. */
  long word(ByteBuffer b, int pos) {
    return is64 ? b.getLong(pos) : Integer.toUnsignedLong(b.getInt(pos));
  }

  void putWord(ByteBuffer b, int pos, long value) {
    if (is64) {
      b.putLong(pos, value);
    } else {
      b.putInt(pos, (int) value);
    }
  }

  long u32(ByteBuffer b, int pos) {
    return Integer.toUnsignedLong(b.getInt(pos));
  }

  int u16(ByteBuffer b, int pos) {
    return Short.toUnsignedInt(b.getShort(pos));
  }

  int wordSize() {
    return is64 ? 8 : 4;
  }

  int dynamicEntrySize() {
    return 2 * wordSize();
  }

  int programHeaderSize() {
    return is64 ? 56 : 32;
  }
}
