package dev.pbstoolchain.binarypatcher.macho;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * One Mach-O image (a thin file, or one slice of a fat file): its header fields, load commands, and
 * how much room the header has before the first section's bytes.
 *
 * @param sliceOffset where the image starts in the file (0 for thin files)
 * @param sliceSize its size
 * @param is64 64-bit header
 * @param cputype {@code CPU_TYPE_*}
 * @param filetype {@code MH_EXECUTE}, {@code MH_DYLIB}, ...
 * @param headerSize 28 or 32
 * @param sizeofcmds bytes of load commands
 * @param commands the load commands in order
 * @param firstContent offset of the first section/segment content after the header (the limit load
 *     commands can grow to)
 */
public record MachOImage(
    long sliceOffset,
    long sliceSize,
    boolean is64,
    int cputype,
    int filetype,
    int headerSize,
    long sizeofcmds,
    List<LoadCommand> commands,
    long firstContent) {

  public static final int MH_EXECUTE = 2;
  public static final int MH_DYLIB = 6;
  public static final int CPU_TYPE_X86 = 7;
  public static final int CPU_TYPE_X86_64 = 0x01000007;
  public static final int CPU_TYPE_ARM64 = 0x0100000c;

  public MachOImage {
    commands = List.copyOf(commands);
  }

  /** {@code x86_64}, {@code arm64}, {@code i386}... as Apple's tools name them. */
  public String arch() {
    return switch (cputype) {
      case CPU_TYPE_X86_64 -> "x86_64";
      case CPU_TYPE_ARM64 -> "arm64";
      case CPU_TYPE_X86 -> "i386";
      default -> "cputype " + cputype;
    };
  }

  public int alignment() {
    return is64 ? 8 : 4;
  }

  public Optional<String> installName() {
    return commands.stream()
        .filter(c -> c.cmd() == LoadCommand.LC_ID_DYLIB)
        .map(LoadCommand::name)
        .findFirst();
  }

  public List<String> dylibs() {
    return commands.stream().filter(LoadCommand::isDylibUse).map(LoadCommand::name).toList();
  }

  public List<String> rpaths() {
    return commands.stream()
        .filter(c -> c.cmd() == LoadCommand.LC_RPATH)
        .map(LoadCommand::name)
        .toList();
  }

  public Optional<LoadCommand> codeSignature() {
    return commands.stream().filter(c -> c.cmd() == LoadCommand.LC_CODE_SIGNATURE).findFirst();
  }

  static ByteBuffer le(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }
}
