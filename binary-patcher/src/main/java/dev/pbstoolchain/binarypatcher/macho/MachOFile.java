package dev.pbstoolchain.binarypatcher.macho;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.io.PositionalRead;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A thin or fat (universal) Mach-O file: the images it holds, read header by header through a
 * {@link FileChannel}; section contents never enter the heap.
 *
 * @param path the file
 * @param fat whether it is a universal file
 * @param images every image (one for thin files)
 */
public record MachOFile(Path path, boolean fat, List<MachOImage> images) {

  static final int MH_MAGIC = 0xfeedface;
  static final int MH_MAGIC_64 = 0xfeedfacf;
  static final int FAT_MAGIC = 0xcafebabe;
  static final int FAT_MAGIC_64 = 0xcafebabf;

  /** Load commands past 16 MiB are a corrupt size: real images carry a few kilobytes. */
  static final long MAX_LOAD_COMMANDS = 16L << 20;

  /** sizeof(struct linkedit_data_command): cmd, cmdsize, dataoff, datasize (LC_CODE_SIGNATURE). */
  static final int LINKEDIT_DATA_COMMAND_SIZE = 16;

  public MachOFile {
    images = List.copyOf(images);
  }

  public static MachOFile read(Path path) throws BinaryFormatException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 4) {
        throw new BinaryFormatException(path, "not a Mach-O file: only " + size + " bytes");
      }
      int magicBe = read(channel, 0, 4, path, "the magic").order(ByteOrder.BIG_ENDIAN).getInt(0);
      if (magicBe == FAT_MAGIC || magicBe == FAT_MAGIC_64) {
        return new MachOFile(path, true, readFat(channel, size, path, magicBe == FAT_MAGIC_64));
      }
      return new MachOFile(path, false, List.of(readImage(channel, 0, size, path)));
    } catch (NoSuchFileException e) {
      throw new BinaryFormatException(path, "no such file");
    } catch (IOException e) {
      throw new BinaryFormatException(path, "cannot read: " + e.getMessage(), e);
    }
  }

  private static List<MachOImage> readFat(FileChannel channel, long size, Path path, boolean wide)
      throws BinaryFormatException, IOException {
    if (size < 8) {
      throw new BinaryFormatException(path, "truncated fat header: " + size + " bytes, expected 8");
    }
    int count = read(channel, 4, 4, path, "the fat header").order(ByteOrder.BIG_ENDIAN).getInt(0);
    int entry = wide ? 32 : 20;
    if (count <= 0 || count > 64 || 8L + (long) count * entry > size) {
      throw new BinaryFormatException(
          path, "invalid fat header: nfat_arch " + count + " does not fit in " + size + " bytes");
    }
    ByteBuffer arches = read(channel, 8, count * entry, path, "the fat_arch table");
    arches.order(ByteOrder.BIG_ENDIAN);
    List<MachOImage> images = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int at = i * entry;
      int cputype = arches.getInt(at);
      long offset = wide ? arches.getLong(at + 8) : Integer.toUnsignedLong(arches.getInt(at + 8));
      long length = wide ? arches.getLong(at + 16) : Integer.toUnsignedLong(arches.getInt(at + 12));
      if (offset < 8 || length < 0 || offset > size || length > size - offset) {
        throw new BinaryFormatException(
            path,
            "fat_arch "
                + i
                + " (cputype "
                + cputype
                + ") at offset "
                + offset
                + " size "
                + length
                + " lies outside the file ("
                + size
                + " bytes)");
      }
      MachOImage image = readImage(channel, offset, length, path);
      if (image.cputype() != cputype) {
        throw new BinaryFormatException(
            path,
            "fat_arch "
                + i
                + " says cputype "
                + cputype
                + " but its slice's header says "
                + image.cputype());
      }
      images.add(image);
    }
    return images;
  }

  static MachOImage readImage(FileChannel channel, long base, long length, Path path)
      throws BinaryFormatException, IOException {
    if (length < 28) {
      throw new BinaryFormatException(path, "truncated Mach-O header at offset " + base);
    }
    ByteBuffer magic = read(channel, base, 4, path, "the Mach-O magic");
    int value = magic.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    boolean is64;
    if (value == MH_MAGIC_64) {
      is64 = true;
    } else if (value == MH_MAGIC) {
      is64 = false;
    } else if (Integer.reverseBytes(value) == MH_MAGIC
        || Integer.reverseBytes(value) == MH_MAGIC_64) {
      throw new BinaryFormatException(
          path, "big-endian Mach-O (PowerPC) at offset " + base + " is not supported");
    } else {
      throw new BinaryFormatException(
          path,
          "not a Mach-O file: magic 0x"
              + Integer.toHexString(value)
              + " at offset "
              + base
              + " is neither 0xfeedface, 0xfeedfacf nor a fat header");
    }
    int headerSize = is64 ? 32 : 28;
    if (length < headerSize) {
      throw new BinaryFormatException(path, "truncated Mach-O header at offset " + base);
    }
    ByteBuffer h = read(channel, base, headerSize, path, "the Mach-O header");
    h.order(ByteOrder.LITTLE_ENDIAN);
    int cputype = h.getInt(4);
    int filetype = h.getInt(12);
    long ncmds = Integer.toUnsignedLong(h.getInt(16));
    long sizeofcmds = Integer.toUnsignedLong(h.getInt(20));
    if (sizeofcmds > MAX_LOAD_COMMANDS) {
      throw new BinaryFormatException(
          path,
          "corrupt Mach-O header at offset "
              + base
              + ": sizeofcmds is "
              + sizeofcmds
              + " bytes, more than any linker writes ("
              + MAX_LOAD_COMMANDS
              + ")");
    }
    if (headerSize + sizeofcmds > length) {
      throw new BinaryFormatException(
          path,
          "truncated or corrupt: load commands ("
              + sizeofcmds
              + " bytes after the header) run past the end of the image ("
              + length
              + " bytes)");
    }
    ByteBuffer region =
        read(channel, base + headerSize, (int) sizeofcmds, path, "the load commands");
    region.order(ByteOrder.LITTLE_ENDIAN);
    List<LoadCommand> commands = new ArrayList<>();
    long at = 0;
    long firstContent = length;
    int align = is64 ? 8 : 4;
    for (long i = 0; i < ncmds; i++) {
      if (at + 8 > sizeofcmds) {
        throw new BinaryFormatException(
            path,
            "truncated load commands: command "
                + i
                + " of "
                + ncmds
                + " starts at "
                + at
                + " but sizeofcmds is "
                + sizeofcmds);
      }
      int cmd = region.getInt((int) at);
      long cmdsize = Integer.toUnsignedLong(region.getInt((int) at + 4));
      if (cmdsize < 8 || at + cmdsize > sizeofcmds) {
        throw new BinaryFormatException(
            path,
            "load command "
                + i
                + " (cmd 0x"
                + Integer.toHexString(cmd)
                + ") has cmdsize "
                + cmdsize
                + ", which "
                + (cmdsize < 8
                    ? "is smaller than its own header"
                    : "runs past sizeofcmds " + sizeofcmds));
      }
      if (cmdsize % align != 0) {
        throw new BinaryFormatException(
            path, "load command " + i + " has cmdsize " + cmdsize + ", not a multiple of " + align);
      }
      byte[] bytes = new byte[(int) cmdsize];
      region.get((int) at, bytes);
      ByteBuffer c = MachOImage.le(bytes);
      String name = null;
      int nameOffset = -1;
      boolean dylib =
          cmd == LoadCommand.LC_LOAD_DYLIB
              || cmd == LoadCommand.LC_ID_DYLIB
              || cmd == LoadCommand.LC_LOAD_WEAK_DYLIB
              || cmd == LoadCommand.LC_REEXPORT_DYLIB
              || cmd == LoadCommand.LC_LOAD_UPWARD_DYLIB
              || cmd == LoadCommand.LC_LAZY_LOAD_DYLIB;
      if (dylib || cmd == LoadCommand.LC_RPATH || cmd == LoadCommand.LC_LOAD_DYLINKER) {
        if (cmdsize < 12) {
          throw new BinaryFormatException(path, "load command " + i + " is too small for its name");
        }
        nameOffset = c.getInt(8);
        if (nameOffset < 12 || nameOffset >= cmdsize) {
          throw new BinaryFormatException(
              path,
              "load command "
                  + i
                  + " (cmd 0x"
                  + Integer.toHexString(cmd)
                  + ") has lc_str offset "
                  + nameOffset
                  + " outside its "
                  + cmdsize
                  + " bytes");
        }
        int end = nameOffset;
        while (end < bytes.length && bytes[end] != 0) {
          end++;
        }
        name = new String(bytes, nameOffset, end - nameOffset, StandardCharsets.UTF_8);
      }
      if (cmd == LoadCommand.LC_SEGMENT_64 || cmd == LoadCommand.LC_SEGMENT) {
        boolean wide = cmd == LoadCommand.LC_SEGMENT_64;
        int fixed = wide ? 72 : 56;
        long sections = cmdsize >= fixed ? Integer.toUnsignedLong(c.getInt(wide ? 64 : 48)) : 0;
        long needed = fixed + sections * (wide ? 80 : 68);
        if (cmdsize < needed) {
          throw new BinaryFormatException(
              path,
              "load command "
                  + i
                  + " ("
                  + (wide ? "LC_SEGMENT_64" : "LC_SEGMENT")
                  + ") has cmdsize "
                  + cmdsize
                  + ", smaller than its own header and "
                  + sections
                  + " sections ("
                  + needed
                  + " bytes)");
        }
        firstContent =
            Math.min(
                firstContent,
                firstContent(c, cmd == LoadCommand.LC_SEGMENT_64, headerSize + sizeofcmds));
      }
      if (cmd == LoadCommand.LC_CODE_SIGNATURE && cmdsize != LINKEDIT_DATA_COMMAND_SIZE) {
        // Its dataoff and datasize are read at bytes 8-15: a shorter command has none (LLVM's
        // reader refuses any other size too).
        throw new BinaryFormatException(
            path,
            "load command "
                + i
                + " (LC_CODE_SIGNATURE) has cmdsize "
                + cmdsize
                + ", not the "
                + LINKEDIT_DATA_COMMAND_SIZE
                + " bytes of a linkedit_data_command");
      }
      if (cmd == LoadCommand.LC_CODE_SIGNATURE
          && commands.stream().anyMatch(c2 -> c2.cmd() == LoadCommand.LC_CODE_SIGNATURE)) {
        // The editor re-signs the first one; the loader and LLVM's reader refuse a second.
        throw new BinaryFormatException(
            path, "load command " + i + " is a second LC_CODE_SIGNATURE: an image has at most one");
      }
      commands.add(new LoadCommand(cmd, headerSize + at, bytes, name, nameOffset));
      at += cmdsize;
    }
    return new MachOImage(
        base, length, is64, cputype, filetype, headerSize, sizeofcmds, commands, firstContent);
  }

  /** The lowest file offset of a section (or non-empty segment) beyond the header. */
  private static long firstContent(ByteBuffer c, boolean is64, long headerEnd) {
    long best = Long.MAX_VALUE;
    int nsects = c.getInt(is64 ? 64 : 48);
    long fileoff = is64 ? c.getLong(40) : Integer.toUnsignedLong(c.getInt(32));
    long filesize = is64 ? c.getLong(48) : Integer.toUnsignedLong(c.getInt(36));
    if (fileoff >= headerEnd && filesize > 0) {
      best = fileoff;
    }
    int sectionSize = is64 ? 80 : 68;
    int first = is64 ? 72 : 56;
    for (int s = 0; s < nsects && first + (s + 1) * sectionSize <= c.capacity(); s++) {
      int at = first + s * sectionSize;
      long offset = Integer.toUnsignedLong(c.getInt(at + (is64 ? 48 : 40)));
      int flags = c.getInt(at + (is64 ? 64 : 56));
      int type = flags & 0xff;
      boolean zerofill = type == 0x1 || type == 0xc || type == 0x12;
      if (offset > 0 && !zerofill) {
        best = Math.min(best, offset);
      }
    }
    return best;
  }

  private static ByteBuffer read(
      FileChannel channel, long offset, int length, Path path, String what)
      throws BinaryFormatException, IOException {
    try {
      return PositionalRead.readFully(channel, ByteBuffer.allocate(length), offset);
    } catch (EOFException e) {
      throw new BinaryFormatException(
          path,
          "truncated: "
              + what
              + " at offset "
              + offset
              + " ("
              + length
              + " bytes) is past the end of the file");
    }
  }
}
