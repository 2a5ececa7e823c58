package dev.pbstoolchain.binarypatcher.identity;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What machine code a file holds, read from its headers alone: an ELF file or PE image has one
 * architecture, a universal Mach-O one per slice.
 *
 * @param file the file read
 * @param images one architecture, or each slice's in file order
 * @param universal a Mach-O universal ("fat") binary
 */
public record BinaryIdentity(Path file, List<Architecture> images, boolean universal) {

  public BinaryIdentity {
    images = List.copyOf(images);
  }

  /** Reads the identity of {@code file}; fails for anything that is not ELF, Mach-O or PE. */
  public static BinaryIdentity read(Path file) throws BinaryFormatException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      FileRegion region = new FileRegion(file, channel);
      if (region.size() < 8) {
        throw notABinary(file, region, "only " + region.size() + " bytes");
      }
      ByteBuffer start = region.read(0, 8, ByteOrder.BIG_ENDIAN, "the file's magic number");
      int magic = start.getInt(0);
      if (magic == 0x7f454c46) {
        return new BinaryIdentity(file, List.of(ElfIdentity.read(region)), false);
      }
      if (MachOIdentity.isThin(magic)) {
        return new BinaryIdentity(file, List.of(MachOIdentity.thin(region, 0, "the file")), false);
      }
      if (MachOIdentity.isFat(magic, start.getInt(4))) {
        return new BinaryIdentity(file, MachOIdentity.fat(region), true);
      }
      if (magic == MachOIdentity.FAT_MAGIC && start.getInt(4) == 0) {
        throw new BinaryFormatException(
            file, "a Mach-O universal binary without slices (nfat_arch is 0)");
      }
      if (start.get(0) == 'M' && start.get(1) == 'Z') {
        return new BinaryIdentity(file, List.of(PeIdentity.read(region)), false);
      }
      throw notABinary(
          file,
          region,
          "it starts with " + HexFormat.ofDelimiter(" ").formatHex(start.array(), 0, 4));
    } catch (NoSuchFileException e) {
      throw new BinaryFormatException(file, "no such file");
    } catch (IOException e) {
      throw new BinaryFormatException(file, "cannot read: " + e.getMessage(), e);
    }
  }

  private static BinaryFormatException notABinary(Path file, FileRegion region, String why) {
    return new BinaryFormatException(
        file, "not an ELF, Mach-O or PE file (" + why + "): is it the built program?");
  }

  /**
   * As {@code file} would summarize it: {@code ELF 64-bit x86-64}, or for a universal binary {@code
   * Mach-O universal binary (x86_64, arm64)}.
   */
  public String description() {
    if (!universal) {
      return images.get(0).description();
    }
    return images.stream()
        .map(a -> a.description().replaceFirst("^Mach-O (64-bit )?", ""))
        .collect(Collectors.joining(", ", "Mach-O universal binary (", ")"));
  }
}
