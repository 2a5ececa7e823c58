package dev.pbstoolchain.binarypatcher.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * patchelf 0.19's library resolution cache: a {@code .note.nixos.ldcache} note (owner {@code
 * NixOS}) whose descriptor pairs each searched DT_NEEDED name with where the run path finds it,
 * {@code =PATH} for a file found now, {@code ?DIR} for a directory only the loader can search
 * ({@code $ORIGIN}-style tokens, glibc-hwcaps subdirectories). A loader that reads the note skips
 * the search. All strings are raw (see {@link RawString}).
 */
final class ResolutionCache {

  static final String SECTION = ".note.nixos.ldcache";
  static final String OWNER = "NixOS";

  /** The note type the Nixpkgs loader patch reads. */
  static final int NT_NIXOS_LD_CACHE = 0x63a86cb6;

  /** {@code Elf_Nhdr}: namesz, descsz, type; 32-bit words in both ELF classes. */
  private static final int NOTE_HEADER = 12;

  /** Note names and descriptors are padded to 4 bytes. */
  static final int NOTE_ALIGN = 4;

  private ResolutionCache() {}

  /**
   * The descriptor for these DT_NEEDED names and run path, or null when nothing resolves: pairs
   * sorted by name, each {@code NAME\0ENTRY[:ENTRY...]\0}, then a closing NUL.
   */
  static byte[] descriptor(List<String> needed, String runPath) {
    Map<String, StringBuilder> cache = new TreeMap<>();
    for (String dir : runPath.split(":", -1)) {
      if (dir.isEmpty()) {
        continue; // The current directory: nothing to bake in.
      }
      boolean hint = dir.contains("$") || exists(dir + "/glibc-hwcaps", false);
      for (String lib : needed) {
        if (lib.contains("/")) {
          continue; // A path is opened as it is, without a search.
        }
        if (hint) {
          add(cache, lib, "?" + dir);
        } else if (exists(dir + "/" + lib, true)) {
          add(cache, lib, "=" + dir + "/" + lib);
        }
      }
    }
    if (cache.isEmpty()) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (var e : cache.entrySet()) {
      out.writeBytes(RawString.bytes(e.getKey()));
      out.write(0);
      out.writeBytes(RawString.bytes(e.getValue().toString()));
      out.write(0);
    }
    out.write(0);
    return out.toByteArray();
  }

  private static void add(Map<String, StringBuilder> cache, String lib, String entry) {
    StringBuilder paths = cache.computeIfAbsent(lib, k -> new StringBuilder());
    if (paths.length() > 0) {
      paths.append(':');
    }
    paths.append(entry);
  }

  private static boolean exists(String raw, boolean readable) {
    try {
      Path path = Path.of(RawString.text(raw));
      return readable ? Files.isReadable(path) : Files.exists(path);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** The whole note: header, owner name, descriptor, each padded to 4 bytes. */
  static byte[] note(ElfCodec c, byte[] descriptor) {
    byte[] owner = RawString.bytes(OWNER + "\0");
    int nameSize = align(owner.length);
    ByteBuffer b = c.allocate(NOTE_HEADER + nameSize + align(descriptor.length));
    b.putInt(0, owner.length).putInt(4, descriptor.length).putInt(8, NT_NIXOS_LD_CACHE);
    b.put(NOTE_HEADER, owner);
    b.put(NOTE_HEADER + nameSize, descriptor);
    return b.array();
  }

  /** The descriptor of an existing note's bytes, or null when they hold no readable note. */
  static byte[] existingDescriptor(ElfCodec c, byte[] note) {
    if (note.length < NOTE_HEADER) {
      return null;
    }
    ByteBuffer b = c.wrap(note);
    long nameSize = align(Integer.toUnsignedLong(b.getInt(0)));
    long descSize = Integer.toUnsignedLong(b.getInt(4));
    if (nameSize > note.length - NOTE_HEADER || descSize > note.length - NOTE_HEADER - nameSize) {
      return null;
    }
    int from = NOTE_HEADER + (int) nameSize;
    return java.util.Arrays.copyOfRange(note, from, from + (int) descSize);
  }

  private static int align(int value) {
    return (value + NOTE_ALIGN - 1) & -NOTE_ALIGN;
  }

  private static long align(long value) {
    return (value + NOTE_ALIGN - 1) & -NOTE_ALIGN;
  }
}
