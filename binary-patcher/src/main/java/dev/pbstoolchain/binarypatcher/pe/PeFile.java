package dev.pbstoolchain.binarypatcher.pe;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.io.PositionalRead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A PE image (exe or dll, PE32 or PE32+): its file and optional headers and the DLLs it imports,
 * from its import and delay-import directories, read through a {@link FileChannel}.
 *
 * @param path the file
 * @param pe32Plus 64-bit optional header
 * @param machine {@code IMAGE_FILE_MACHINE_*}
 * @param headers the header fields dumpbin /HEADERS shows
 * @param imports DLL names in the import directory, in order
 * @param delayImports DLL names in the delay-load import directory
 * @param debugTypes the {@code IMAGE_DEBUG_TYPE_*} of each debug directory entry, in order
 */
public record PeFile(
    Path path,
    boolean pe32Plus,
    int machine,
    Headers headers,
    List<String> imports,
    List<String> delayImports,
    List<Integer> debugTypes) {

  /**
   * {@code IMAGE_DEBUG_TYPE_REPRO}: the linker wrote a hash of the image, not the link time, into
   * the time date stamp (MSVC's /Brepro).
   */
  public static final int DEBUG_TYPE_REPRO = 16;

  /** Optional header magic of PE32 and PE32+ images. */
  private static final int PE32_MAGIC = 0x10b;

  private static final int PE32_PLUS_MAGIC = 0x20b;

  /** Where the data directories start in the optional header, PE32 and PE32+. */
  private static final int PE32_DATA_DIRECTORIES = 96;

  private static final int PE32_PLUS_DATA_DIRECTORIES = 112;

  /** {@code IMAGE_DIRECTORY_ENTRY_*}: indices into the optional header's data directories. */
  static final int DIRECTORY_IMPORT = 1;

  static final int DIRECTORY_DEBUG = 6;
  static final int DIRECTORY_DELAY_IMPORT = 13;

  /** Bytes of one data directory (RVA, size), import descriptor and delay-load descriptor. */
  private static final int DATA_DIRECTORY_SIZE = 8;

  private static final int IMPORT_DESCRIPTOR_SIZE = 20;
  private static final int DELAY_DESCRIPTOR_SIZE = 32;
  private static final int DEBUG_DIRECTORY_SIZE = 28;
  private static final int SECTION_HEADER_SIZE = 40;

  /** More imported DLLs than this is a descriptor table without its terminator, not a program. */
  private static final int MAX_IMPORTS = 65536;

  /**
   * Debug directories are a few entries; more than this is a corrupt size, not a reason to read.
   */
  private static final int MAX_DEBUG_ENTRIES = 1024;

  /**
   * What {@code dumpbin /HEADERS} reports of the file and optional headers.
   *
   * @param characteristics {@code IMAGE_FILE_*} flags
   * @param timeDateStamp link time, seconds since 1970 (0 in reproducible builds)
   * @param sections number of sections
   * @param linkerVersion major.minor
   * @param osVersion the oldest Windows the image declares, major.minor
   * @param imageVersion major.minor
   * @param subsystemVersion major.minor
   * @param subsystem {@code IMAGE_SUBSYSTEM_*} (2 GUI, 3 console)
   * @param dllCharacteristics {@code IMAGE_DLLCHARACTERISTICS_*} flags
   * @param imageBase preferred load address
   * @param entryPoint entry point RVA
   * @param sizeOfImage bytes the image takes in memory
   */
  public record Headers(
      int characteristics,
      long timeDateStamp,
      int sections,
      String linkerVersion,
      String osVersion,
      String imageVersion,
      String subsystemVersion,
      int subsystem,
      int dllCharacteristics,
      long imageBase,
      long entryPoint,
      long sizeOfImage) {}

  private record Section(long virtualAddress, long virtualSize, long rawOffset, long rawSize) {}

  public PeFile {
    imports = List.copyOf(imports);
    delayImports = List.copyOf(delayImports);
    debugTypes = List.copyOf(debugTypes);
  }

  /**
   * Whether the file header holds the time the image was linked (GNU ld's and link.exe's default),
   * which makes every build of the same sources a different file: a non-zero stamp that is not a
   * /Brepro hash.
   */
  public boolean stampsLinkTime() {
    return headers.timeDateStamp() != 0 && !debugTypes.contains(DEBUG_TYPE_REPRO);
  }

  public static PeFile read(Path path) throws BinaryFormatException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer dos = read(ch, 0, 64, size, path, "the DOS header");
      if (dos.getShort(0) != 0x5a4d) {
        throw new BinaryFormatException(path, "not a PE file: it does not start with 'MZ'");
      }
      long peOffset = Integer.toUnsignedLong(dos.getInt(0x3c));
      ByteBuffer coff = read(ch, peOffset, 24, size, path, "the PE header");
      if (coff.getInt(0) != 0x00004550) {
        throw new BinaryFormatException(
            path, "not a PE file: no 'PE\\0\\0' signature at offset " + peOffset);
      }
      int machine = Short.toUnsignedInt(coff.getShort(4));
      int sections = Short.toUnsignedInt(coff.getShort(6));
      int optionalSize = Short.toUnsignedInt(coff.getShort(20));
      if (optionalSize < 2) {
        throw new BinaryFormatException(
            path,
            "SizeOfOptionalHeader is " + optionalSize + ": an image needs an optional header");
      }
      ByteBuffer opt = read(ch, peOffset + 24, optionalSize, size, path, "the optional header");
      int magic = Short.toUnsignedInt(opt.getShort(0));
      boolean plus = magic == PE32_PLUS_MAGIC;
      if (magic != PE32_MAGIC && !plus) {
        throw new BinaryFormatException(
            path, "unknown optional header magic 0x" + Integer.toHexString(magic));
      }
      int dirs = plus ? PE32_PLUS_DATA_DIRECTORIES : PE32_DATA_DIRECTORIES;
      if (optionalSize < dirs) {
        throw new BinaryFormatException(
            path,
            "SizeOfOptionalHeader is "
                + optionalSize
                + " bytes, too small for a "
                + (plus ? "PE32+" : "PE32")
                + " optional header ("
                + dirs
                + " bytes before the data directories)");
      }
      Headers headers =
          new Headers(
              Short.toUnsignedInt(coff.getShort(22)),
              Integer.toUnsignedLong(coff.getInt(8)),
              sections,
              Byte.toUnsignedInt(opt.get(2)) + "." + Byte.toUnsignedInt(opt.get(3)),
              version(opt, 40),
              version(opt, 44),
              version(opt, 48),
              Short.toUnsignedInt(opt.getShort(68)),
              Short.toUnsignedInt(opt.getShort(70)),
              plus ? opt.getLong(24) : Integer.toUnsignedLong(opt.getInt(28)),
              Integer.toUnsignedLong(opt.getInt(16)),
              Integer.toUnsignedLong(opt.getInt(56)));
      // NumberOfRvaAndSizes, but never past what SizeOfOptionalHeader holds.
      long count =
          Math.min(
              Integer.toUnsignedLong(opt.getInt(dirs - 4)),
              (optionalSize - dirs) / DATA_DIRECTORY_SIZE);
      ByteBuffer table =
          read(
              ch,
              peOffset + 24 + optionalSize,
              (long) sections * SECTION_HEADER_SIZE,
              size,
              path,
              "the section table");
      List<Section> list = new ArrayList<>();
      for (int i = 0; i < sections; i++) {
        int at = i * SECTION_HEADER_SIZE;
        list.add(
            new Section(
                Integer.toUnsignedLong(table.getInt(at + 12)),
                Integer.toUnsignedLong(table.getInt(at + 8)),
                Integer.toUnsignedLong(table.getInt(at + 20)),
                Integer.toUnsignedLong(table.getInt(at + 16))));
      }
      List<String> imports = new ArrayList<>();
      if (count > DIRECTORY_IMPORT) {
        long rva = directoryRva(opt, dirs, DIRECTORY_IMPORT);
        dllNames(
            ch, list, rva, IMPORT_DESCRIPTOR_SIZE, 12, size, path, "the import table", imports);
      }
      List<String> delay = new ArrayList<>();
      if (count > DIRECTORY_DELAY_IMPORT) {
        long rva = directoryRva(opt, dirs, DIRECTORY_DELAY_IMPORT);
        dllNames(
            ch,
            list,
            rva,
            DELAY_DESCRIPTOR_SIZE,
            4,
            size,
            path,
            "the delay-load import table",
            delay);
      }
      List<Integer> debugTypes =
          count > DIRECTORY_DEBUG
              ? debugTypes(
                  ch,
                  list,
                  directoryRva(opt, dirs, DIRECTORY_DEBUG),
                  Integer.toUnsignedLong(
                      opt.getInt(dirs + DIRECTORY_DEBUG * DATA_DIRECTORY_SIZE + 4)),
                  size,
                  path)
              : List.of();
      return new PeFile(path, plus, machine, headers, imports, delay, debugTypes);
    } catch (NoSuchFileException e) {
      throw new BinaryFormatException(path, "no such file");
    } catch (IOException e) {
      throw new BinaryFormatException(path, "cannot read: " + e.getMessage(), e);
    }
  }

  private static long directoryRva(ByteBuffer optional, int dirs, int index) {
    return Integer.toUnsignedLong(optional.getInt(dirs + index * DATA_DIRECTORY_SIZE));
  }

  /**
   * The DLL names of an import or delay-load descriptor table at {@code rva}, up to its all-zero
   * terminator (a zero name RVA), each descriptor {@code entry} bytes with the name's RVA at {@code
   * nameField}.
   */
  private static void dllNames(
      FileChannel ch,
      List<Section> sections,
      long rva,
      int entry,
      int nameField,
      long size,
      Path path,
      String table,
      List<String> names)
      throws BinaryFormatException, IOException {
    if (rva == 0) {
      return;
    }
    for (long at = rva; ; at += entry) {
      if (names.size() == MAX_IMPORTS) {
        throw new BinaryFormatException(
            path, table + " has no terminating descriptor within " + MAX_IMPORTS + " entries");
      }
      ByteBuffer d = read(ch, offset(sections, at, path, table), entry, size, path, table);
      long nameRva = Integer.toUnsignedLong(d.getInt(nameField));
      if (nameRva == 0) {
        return;
      }
      names.add(string(ch, offset(sections, nameRva, path, table), size, path));
    }
  }

  /**
   * The type of each debug directory entry. They only inform (is the stamp a /Brepro hash?), so a
   * debug directory that is corrupt or lies outside the sections reads as none rather than failing
   * the whole file.
   */
  private static List<Integer> debugTypes(
      FileChannel ch, List<Section> sections, long rva, long bytes, long size, Path path)
      throws IOException {
    long entries = bytes / DEBUG_DIRECTORY_SIZE;
    if (rva == 0 || entries == 0 || entries > MAX_DEBUG_ENTRIES) {
      return List.of();
    }
    try {
      ByteBuffer d =
          read(
              ch,
              offset(sections, rva, path, "the debug directory"),
              entries * DEBUG_DIRECTORY_SIZE,
              size,
              path,
              "the debug directory");
      List<Integer> types = new ArrayList<>();
      for (int i = 0; i < entries; i++) {
        types.add(d.getInt(i * DEBUG_DIRECTORY_SIZE + 12));
      }
      return types;
    } catch (BinaryFormatException e) {
      return List.of();
    }
  }

  private static String version(ByteBuffer optional, int at) {
    return Short.toUnsignedInt(optional.getShort(at))
        + "."
        + Short.toUnsignedInt(optional.getShort(at + 2));
  }

  /** The machine's name as dumpbin prints it after the number. */
  public String machineName() {
    return switch (machine) {
      case 0x14c -> "x86";
      case 0x8664 -> "x64";
      case 0xaa64 -> "ARM64";
      case 0x1c4 -> "ARMNT";
      default -> "unknown";
    };
  }

  /** Every imported DLL, lower-cased, import directory first. */
  public Set<String> allImports() {
    Set<String> all = new LinkedHashSet<>();
    imports.forEach(i -> all.add(i.toLowerCase(Locale.ROOT)));
    delayImports.forEach(i -> all.add(i.toLowerCase(Locale.ROOT)));
    return all;
  }

  private static long offset(List<Section> sections, long rva, Path path, String table)
      throws BinaryFormatException {
    for (Section s : sections) {
      long span = Math.max(s.virtualSize(), s.rawSize());
      if (rva >= s.virtualAddress() && rva < s.virtualAddress() + span) {
        return rva - s.virtualAddress() + s.rawOffset();
      }
    }
    throw new BinaryFormatException(
        path, "RVA 0x" + Long.toHexString(rva) + " is in no section: " + table + " is corrupt");
  }

  private static String string(FileChannel ch, long offset, long size, Path path)
      throws BinaryFormatException, IOException {
    if (offset < 0 || offset >= size) {
      throw new BinaryFormatException(
          path, "truncated or corrupt: a DLL name at offset " + offset + " lies past the end");
    }
    ByteBuffer b = read(ch, offset, (int) Math.min(256, size - offset), size, path, "a DLL name");
    int end = 0;
    while (end < b.limit() && b.get(end) != 0) {
      end++;
    }
    return new String(b.array(), 0, end, StandardCharsets.US_ASCII);
  }

  private static ByteBuffer read(
      FileChannel ch, long offset, long length, long size, Path path, String what)
      throws BinaryFormatException, IOException {
    if (offset < 0 || length < 0 || offset > size || length > size - offset) {
      throw new BinaryFormatException(
          path,
          "truncated or corrupt: "
              + what
              + " at offset "
              + offset
              + " lies past the end of the file");
    }
    return PositionalRead.readFully(
        ch, ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN), offset);
  }
}
