package dev.pbstoolchain.binarypatcher.cli;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.macho.LoadCommand;
import dev.pbstoolchain.binarypatcher.macho.MachOFile;
import dev.pbstoolchain.binarypatcher.macho.MachOImage;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code otool -L FILE} (libraries, with versions) and {@code otool -l FILE} (load commands; the
 * dylib, rpath and code signature commands in full, others by name and size), printed as otool.
 */
final class OtoolCommand {

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(0x1, "LC_SEGMENT"),
          Map.entry(0x2, "LC_SYMTAB"),
          Map.entry(0xb, "LC_DYSYMTAB"),
          Map.entry(0xc, "LC_LOAD_DYLIB"),
          Map.entry(0xd, "LC_ID_DYLIB"),
          Map.entry(0xe, "LC_LOAD_DYLINKER"),
          Map.entry(0x19, "LC_SEGMENT_64"),
          Map.entry(0x1b, "LC_UUID"),
          Map.entry(0x1d, "LC_CODE_SIGNATURE"),
          Map.entry(0x20, "LC_LAZY_LOAD_DYLIB"),
          Map.entry(0x26, "LC_FUNCTION_STARTS"),
          Map.entry(0x29, "LC_DATA_IN_CODE"),
          Map.entry(0x2a, "LC_SOURCE_VERSION"),
          Map.entry(0x32, "LC_BUILD_VERSION"),
          Map.entry(0x80000018, "LC_LOAD_WEAK_DYLIB"),
          Map.entry(0x8000001c, "LC_RPATH"),
          Map.entry(0x8000001f, "LC_REEXPORT_DYLIB"),
          Map.entry(0x80000022, "LC_DYLD_INFO_ONLY"),
          Map.entry(0x80000023, "LC_LOAD_UPWARD_DYLIB"),
          Map.entry(0x80000028, "LC_MAIN"),
          Map.entry(0x80000033, "LC_DYLD_EXPORTS_TRIE"),
          Map.entry(0x80000034, "LC_DYLD_CHAINED_FIXUPS"));

  private OtoolCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 2 || !(args[0].equals("-L") || args[0].equals("-l"))) {
      err.println("usage: otool -L|-l FILE");
      return 1;
    }
    Path path = Path.of(args[1]);
    try {
      MachOFile file = MachOFile.read(path);
      for (MachOImage image : file.images()) {
        out.println(file.fat() ? path + " (architecture " + image.arch() + "):" : path + ":");
        if (args[0].equals("-L")) {
          printLibraries(image, out);
        } else {
          printCommands(image, out);
        }
      }
      return 0;
    } catch (BinaryFormatException e) {
      err.println("error: otool: " + e.getMessage());
      return 1;
    }
  }

  private static void printLibraries(MachOImage image, PrintStream out) {
    for (LoadCommand c : image.commands()) {
      if (c.isDylibUse() || c.cmd() == LoadCommand.LC_ID_DYLIB) {
        ByteBuffer b = ByteBuffer.wrap(c.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        out.println(
            "\t"
                + c.name()
                + " (compatibility version "
                + version(b.getInt(20))
                + ", current version "
                + version(b.getInt(16))
                + (weak(c, b) ? ", weak" : "")
                + ")");
      }
    }
  }

  /** LC_LOAD_WEAK_DYLIB, or ld-prime's dylib_use_command with its weak-link flag. */
  private static boolean weak(LoadCommand c, ByteBuffer b) {
    if (c.cmd() == LoadCommand.LC_LOAD_WEAK_DYLIB) {
      return true;
    }
    return c.nameOffset() == 28 && c.size() >= 28 && (b.getInt(24) & 1) != 0;
  }

  private static void printCommands(MachOImage image, PrintStream out) {
    int index = 0;
    for (LoadCommand c : image.commands()) {
      ByteBuffer b = ByteBuffer.wrap(c.bytes()).order(ByteOrder.LITTLE_ENDIAN);
      out.println("Load command " + index++);
      out.println(
          "          cmd "
              + NAMES.getOrDefault(c.cmd(), "?(0x" + Integer.toHexString(c.cmd()) + ")"));
      out.println("      cmdsize " + c.size());
      if (c.isDylibUse() || c.cmd() == LoadCommand.LC_ID_DYLIB) {
        out.println("         name " + c.name() + " (offset " + c.nameOffset() + ")");
        out.println("   time stamp " + Integer.toUnsignedLong(b.getInt(12)));
        out.println("      current version " + version(b.getInt(16)));
        out.println("compatibility version " + version(b.getInt(20)));
      } else if (c.cmd() == LoadCommand.LC_RPATH || c.cmd() == LoadCommand.LC_LOAD_DYLINKER) {
        out.println(
            "         "
                + (c.cmd() == LoadCommand.LC_RPATH ? "path" : "name")
                + " "
                + c.name()
                + " (offset "
                + c.nameOffset()
                + ")");
      } else if (c.cmd() == LoadCommand.LC_CODE_SIGNATURE) {
        out.println("      dataoff " + Integer.toUnsignedLong(b.getInt(8)));
        out.println("     datasize " + Integer.toUnsignedLong(b.getInt(12)));
      }
    }
  }

  static String version(int packed) {
    return (packed >>> 16) + "." + ((packed >>> 8) & 0xff) + "." + (packed & 0xff);
  }
}
