package dev.pbstoolchain.binarypatcher.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the fields of a gcc-built x86-64 file lie, and the byte patches the tests make there to
 * stand for an odd linker's (or the fuzzer's) output.
 */
final class ElfPatches {

  private ElfPatches() {}

  /** The index of the first program header of {@code type}; the test fails when there is none. */
  static int programHeader(ElfFile elf, int type) {
    for (int i = 0; i < elf.programHeaders().size(); i++) {
      if (elf.programHeaders().get(i).type() == type) {
        return i;
      }
    }
    throw new AssertionError("no program header of type " + type);
  }

  /** The index of the first section named {@code name}; the test fails when there is none. */
  static int section(ElfFile elf, String name) {
    for (int i = 0; i < elf.sections().size(); i++) {
      if (elf.sections().get(i).name().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no section " + name);
  }

  /** The file offset of program header {@code index} (its p_type). */
  static long programHeaderAt(ElfFile elf, int index) {
    return elf.phoff + (long) index * elf.phentsize;
  }

  /** The file offset of section header {@code index} (its sh_name). */
  static long sectionHeaderAt(ElfFile elf, int index) {
    return elf.shoff + (long) index * elf.shentsize;
  }

  /** Writes {@code value} as 4 little-endian bytes at {@code offset} of {@code file}. */
  static void putInt(Path file, long offset, int value) throws IOException {
    write(file, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
  }

  /** Writes {@code value} as 8 little-endian bytes at {@code offset} of {@code file}. */
  static void putLong(Path file, long offset, long value) throws IOException {
    write(file, offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
  }

  /** Turns program header {@code index} into PT_NULL: its p_type (4 bytes) zeroed. */
  static void nullProgramHeader(Path file, ElfFile elf, int index) throws IOException {
    write(file, programHeaderAt(elf, index), ByteBuffer.allocate(4));
  }

  private static void write(Path file, long offset, ByteBuffer bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(bytes, offset);
    }
  }
}
