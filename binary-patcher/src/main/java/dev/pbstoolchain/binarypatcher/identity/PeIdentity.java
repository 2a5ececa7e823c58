package dev.pbstoolchain.binarypatcher.identity;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The architecture of a PE image: its COFF {@code Machine} and optional header magic. */
final class PeIdentity {

  /** Where the MS-DOS header keeps the PE header's offset ({@code e_lfanew}). */
  private static final int E_LFANEW = 0x3c;

  private static final int PE_SIGNATURE = 0x00004550; // "PE\0\0", little-endian
  private static final int PE32_MAGIC = 0x10b;
  private static final int PE32_PLUS_MAGIC = 0x20b;

  private PeIdentity() {}

  static Architecture read(FileRegion file) throws BinaryFormatException, IOException {
    long peOffset =
        file.read(E_LFANEW, 4, ByteOrder.LITTLE_ENDIAN, "the MS-DOS header's e_lfanew").getInt(0)
            & 0xffffffffL;
    ByteBuffer coff = file.read(peOffset, 24, ByteOrder.LITTLE_ENDIAN, "the PE/COFF header");
    if (coff.getInt(0) != PE_SIGNATURE) {
      throw new BinaryFormatException(
          file.file(),
          "an MS-DOS executable without a PE header at offset " + peOffset + " (e_lfanew)");
    }
    int machine = coff.getShort(4) & 0xffff;
    int optionalSize = coff.getShort(20) & 0xffff;
    int bits;
    if (optionalSize >= 2) {
      int magic =
          file.read(peOffset + 24, 2, ByteOrder.LITTLE_ENDIAN, "the optional header's magic")
                  .getShort(0)
              & 0xffff;
      if (magic != PE32_MAGIC && magic != PE32_PLUS_MAGIC) {
        throw new BinaryFormatException(
            file.file(),
            "optional header magic 0x"
                + Integer.toHexString(magic)
                + " at offset "
                + (peOffset + 24)
                + " (expected 0x10b for PE32 or 0x20b for PE32+)");
      }
      bits = magic == PE32_PLUS_MAGIC ? 64 : 32;
    } else {
      bits =
          machine == Architecture.IMAGE_FILE_MACHINE_AMD64
                  || machine == Architecture.IMAGE_FILE_MACHINE_ARM64
              ? 64
              : 32;
    }
    return new Architecture(
        Architecture.Format.PE, bits, false, machine, Architecture.FloatAbi.NOT_ARM);
  }
}
