package dev.pbstoolchain.binarypatcher.identity;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** The architecture of a thin Mach-O and of every slice of a universal ("fat") one. */
final class MachOIdentity {

  static final int MH_MAGIC = 0xfeedface;
  static final int MH_MAGIC_64 = 0xfeedfacf;
  static final int FAT_MAGIC = 0xcafebabe;
  static final int FAT_MAGIC_64 = 0xcafebabf;

  /**
   * Java class files share FAT_MAGIC; their next word (version numbers) reads as 45 or more
   * "slices" where real universal binaries have a handful.
   */
  static final int MAX_FAT_ARCHS = 32;

  private static final int FAT_ARCH_SIZE = 20;
  private static final int FAT_ARCH_64_SIZE = 32;

  private MachOIdentity() {}

  /** True for a thin Mach-O magic in either byte order. */
  static boolean isThin(int bigEndianMagic) {
    return bigEndianMagic == MH_MAGIC
        || bigEndianMagic == MH_MAGIC_64
        || Integer.reverseBytes(bigEndianMagic) == MH_MAGIC
        || Integer.reverseBytes(bigEndianMagic) == MH_MAGIC_64;
  }

  /** True for a universal header (a Java class file is told apart by its slice count). */
  static boolean isFat(int bigEndianMagic, int second) {
    return (bigEndianMagic == FAT_MAGIC || bigEndianMagic == FAT_MAGIC_64)
        && second > 0
        && second <= MAX_FAT_ARCHS;
  }

  static Architecture thin(FileRegion file, long offset, String what)
      throws BinaryFormatException, IOException {
    ByteBuffer header = file.read(offset, 8, ByteOrder.BIG_ENDIAN, what + "'s Mach-O header");
    int magic = header.getInt(0);
    boolean bigEndian = magic == MH_MAGIC || magic == MH_MAGIC_64;
    if (!bigEndian) {
      header.order(ByteOrder.LITTLE_ENDIAN);
      magic = header.getInt(0);
    }
    if (magic != MH_MAGIC && magic != MH_MAGIC_64) {
      throw new BinaryFormatException(
          file.file(),
          what
              + " at offset "
              + offset
              + " does not start with a Mach-O magic (0x"
              + Integer.toHexString(header.order(ByteOrder.BIG_ENDIAN).getInt(0))
              + ")");
    }
    return new Architecture(
        Architecture.Format.MACH_O,
        magic == MH_MAGIC_64 ? 64 : 32,
        bigEndian,
        header.getInt(4),
        Architecture.FloatAbi.NOT_ARM);
  }

  static List<Architecture> fat(FileRegion file) throws BinaryFormatException, IOException {
    ByteBuffer header = file.read(0, 8, ByteOrder.BIG_ENDIAN, "the universal header");
    boolean wide = header.getInt(0) == FAT_MAGIC_64;
    int count = header.getInt(4);
    int entry = wide ? FAT_ARCH_64_SIZE : FAT_ARCH_SIZE;
    ByteBuffer table =
        file.read(8, (long) count * entry, ByteOrder.BIG_ENDIAN, "the universal slice table");
    List<Architecture> slices = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int at = i * entry;
      int cputype = table.getInt(at);
      long offset = wide ? table.getLong(at + 8) : table.getInt(at + 8) & 0xffffffffL;
      long size = wide ? table.getLong(at + 16) : table.getInt(at + 12) & 0xffffffffL;
      String what = "slice " + i;
      if (offset < 0 || size < 0 || offset > file.size() - size) {
        throw new BinaryFormatException(
            file.file(),
            what
                + " (offset "
                + offset
                + ", size "
                + size
                + ") lies outside the file of "
                + file.size()
                + " bytes");
      }
      Architecture slice = thin(file, offset, what);
      if (slice.machine() != cputype) {
        throw new BinaryFormatException(
            file.file(),
            what
                + ": the universal header says cputype 0x"
                + Integer.toHexString(cputype)
                + " but the slice is "
                + slice.description());
      }
      slices.add(slice);
    }
    return slices;
  }
}
