package dev.pbstoolchain.binarypatcher.identity;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.identity.Architecture.FloatAbi;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The architecture of an ELF file from its header, and for 32-bit ARM its float ABI: the EABI5
 * float flags of {@code e_flags}, else the {@code Tag_ABI_VFP_args} build attribute, else the
 * program interpreter Debian names after the ABI ({@code ld-linux-armhf.so.3}).
 */
final class ElfIdentity {

  private static final int ELFCLASS32 = 1;
  private static final int ELFCLASS64 = 2;
  private static final int ELFDATA2LSB = 1;
  private static final int ELFDATA2MSB = 2;

  /** EABI version in the top byte of e_flags (ARM ELF, "e_flags"). */
  private static final int EF_ARM_EABIMASK = 0xff000000;

  private static final int EF_ARM_EABI_VER5 = 0x05000000;
  private static final int EF_ARM_ABI_FLOAT_SOFT = 0x200;
  private static final int EF_ARM_ABI_FLOAT_HARD = 0x400;

  private static final int SHT_ARM_ATTRIBUTES = 0x70000003;
  private static final int PT_INTERP = 3;

  private ElfIdentity() {}

  static Architecture read(FileRegion file) throws BinaryFormatException, IOException {
    ByteBuffer ident = file.read(0, 16, ByteOrder.LITTLE_ENDIAN, "the ELF identification");
    int elfClass = ident.get(4);
    int data = ident.get(5);
    if (elfClass != ELFCLASS32 && elfClass != ELFCLASS64) {
      throw new BinaryFormatException(
          file.file(), "unknown ELF class " + elfClass + " in e_ident[EI_CLASS] (expected 1 or 2)");
    }
    if (data != ELFDATA2LSB && data != ELFDATA2MSB) {
      throw new BinaryFormatException(
          file.file(),
          "unknown ELF data encoding " + data + " in e_ident[EI_DATA] (expected 1 or 2)");
    }
    boolean is64 = elfClass == ELFCLASS64;
    ByteOrder order = data == ELFDATA2LSB ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    Header header = Header.read(file, is64, order);
    FloatAbi floatAbi =
        header.machine == Architecture.EM_ARM && !is64
            ? armFloatAbi(file, header)
            : FloatAbi.NOT_ARM;
    return new Architecture(
        Architecture.Format.ELF,
        is64 ? 64 : 32,
        order == ByteOrder.BIG_ENDIAN,
        header.machine,
        floatAbi);
  }

  /** The fields of {@code Elf32_Ehdr} / {@code Elf64_Ehdr} this class reads. */
  private record Header(
      boolean is64,
      ByteOrder order,
      int machine,
      int flags,
      long phoff,
      long shoff,
      int phentsize,
      int phnum,
      int shentsize,
      int shnum) {

    static Header read(FileRegion file, boolean is64, ByteOrder order)
        throws BinaryFormatException, IOException {
      ByteBuffer h = file.read(0, is64 ? 64 : 52, order, "the ELF header");
      int machine = h.getShort(18) & 0xffff;
      if (is64) {
        return new Header(
            true,
            order,
            machine,
            h.getInt(48),
            h.getLong(32),
            h.getLong(40),
            h.getShort(54) & 0xffff,
            h.getShort(56) & 0xffff,
            h.getShort(58) & 0xffff,
            h.getShort(60) & 0xffff);
      }
      return new Header(
          false,
          order,
          machine,
          h.getInt(36),
          h.getInt(28) & 0xffffffffL,
          h.getInt(32) & 0xffffffffL,
          h.getShort(42) & 0xffff,
          h.getShort(44) & 0xffff,
          h.getShort(46) & 0xffff,
          h.getShort(48) & 0xffff);
    }
  }

  private static FloatAbi armFloatAbi(FileRegion file, Header header)
      throws BinaryFormatException, IOException {
    if ((header.flags & EF_ARM_EABIMASK) == EF_ARM_EABI_VER5) {
      if ((header.flags & EF_ARM_ABI_FLOAT_HARD) != 0) {
        return FloatAbi.HARD;
      }
      if ((header.flags & EF_ARM_ABI_FLOAT_SOFT) != 0) {
        return FloatAbi.SOFT;
      }
    }
    FloatAbi fromAttributes = fromAttributes(file, header);
    return fromAttributes != FloatAbi.UNKNOWN ? fromAttributes : fromInterpreter(file, header);
  }

  /** The {@code .ARM.attributes} section's answer, found by type (no section names needed). */
  private static FloatAbi fromAttributes(FileRegion file, Header header)
      throws BinaryFormatException, IOException {
    if (header.shnum == 0 || header.shoff == 0) {
      return FloatAbi.UNKNOWN;
    }
    if (header.shentsize < 40) {
      throw new BinaryFormatException(
          file.file(), "e_shentsize is " + header.shentsize + ", expected at least 40 bytes");
    }
    ByteBuffer table =
        file.read(
            header.shoff,
            (long) header.shnum * header.shentsize,
            header.order,
            "the section header table");
    for (int i = 0; i < header.shnum; i++) {
      int at = i * header.shentsize;
      if (table.getInt(at + 4) == SHT_ARM_ATTRIBUTES) {
        long offset = table.getInt(at + 16) & 0xffffffffL;
        long size = table.getInt(at + 20) & 0xffffffffL;
        ByteBuffer section = file.read(offset, size, header.order, "the .ARM.attributes section");
        return ArmAttributes.vfpArgs(section, file.file());
      }
    }
    return FloatAbi.UNKNOWN;
  }

  private static FloatAbi fromInterpreter(FileRegion file, Header header)
      throws BinaryFormatException, IOException {
    if (header.phnum == 0) {
      return FloatAbi.UNKNOWN;
    }
    if (header.phentsize < 32) {
      throw new BinaryFormatException(
          file.file(), "e_phentsize is " + header.phentsize + ", expected at least 32 bytes");
    }
    ByteBuffer table =
        file.read(
            header.phoff,
            (long) header.phnum * header.phentsize,
            header.order,
            "the program header table");
    for (int i = 0; i < header.phnum; i++) {
      int at = i * header.phentsize;
      if (table.getInt(at) == PT_INTERP) {
        long offset = table.getInt(at + 4) & 0xffffffffL;
        long size = table.getInt(at + 16) & 0xffffffffL;
        ByteBuffer bytes = file.read(offset, size, header.order, "the PT_INTERP segment");
        String interpreter = new String(bytes.array(), StandardCharsets.ISO_8859_1);
        int nul = interpreter.indexOf('\0');
        interpreter = nul < 0 ? interpreter : interpreter.substring(0, nul);
        if (interpreter.endsWith("/ld-linux-armhf.so.3")) {
          return FloatAbi.HARD;
        }
        if (interpreter.endsWith("/ld-linux.so.3")) {
          return FloatAbi.SOFT;
        }
      }
    }
    return FloatAbi.UNKNOWN;
  }
}
