package dev.pbstoolchain.packagers.rpm;

import dev.pbstoolchain.packagers.layout.Entry;
import dev.pbstoolchain.packagers.output.ArchiveSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The rpm payload: a cpio archive in the header's file order. Entries have SVR4 "newc" headers, or,
 * when the package has a file of 4 GiB or more, rpm's stripped ones: magic {@code 07070X} and the
 * entry's index in the header, everything else being in the header already.
 */
final class Cpio {

  // rpm's bound: sizes below it go in the 32-bit tags and newc's eight hex digits.
  static final long UINT32_MAX = 0xffffffffL;

  private static final byte[] NEWC_MAGIC = "070701".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STRIPPED_MAGIC = "07070X".getBytes(StandardCharsets.US_ASCII);
  private static final int NEWC_HEADER = 110;
  private static final String TRAILER = "TRAILER!!!";
  // rpmbuild pads the payload to a 512-byte record, as cpio does.
  private static final int RECORD = 512;

  private Cpio() {}

  /** Whether a file needs rpm's large-file form (its size does not fit the 32-bit tags or cpio). */
  static boolean hasLargeFiles(List<Entry> files) {
    return files.stream().anyMatch(e -> e.isFile() && e.size() >= UINT32_MAX);
  }

  /** The st_mode file type bits of an entry. */
  static int typeBits(Entry e) {
    return switch (e.kind()) {
      case DIRECTORY -> 040000;
      case SYMLINK -> 0120000;
      case FILE -> 0100000;
    };
  }

  /** Writes the payload into the sink; returns each entry's SHA-256 ("" for non-files). */
  static List<String> write(List<Entry> files, long epoch, ArchiveSink sink) throws IOException {
    List<String> digests = new ArrayList<>();
    boolean stripped = hasLargeFiles(files);
    for (int index = 0; index < files.size(); index++) {
      Entry e = files.get(index);
      byte[] link = e.isSymlink() ? e.linkTarget().getBytes(StandardCharsets.UTF_8) : new byte[0];
      long size = e.isFile() ? e.size() : link.length;
      sink.raw(
          stripped
              ? strippedHeader(index)
              : newcHeader(
                  "./" + e.path(),
                  index + 1,
                  typeBits(e) | e.mode(),
                  e.isDirectory() ? 2 : 1,
                  epoch,
                  size));
      if (e.isFile()) {
        digests.add(HexFormat.of().formatHex(sink.content(e).sha256()));
      } else {
        sink.raw(link);
        digests.add("");
      }
      sink.raw(new byte[(int) ((4 - size % 4) % 4)]);
    }
    sink.raw(newcHeader(TRAILER, 0, 0, 1, 0, 0));
    int tail = (int) (sink.count() % RECORD);
    if (tail != 0) {
      sink.raw(new byte[RECORD - tail]);
    }
    return digests;
  }

  /** rpm's stripped header: the magic, the file's index as eight hex digits, padding to four. */
  private static byte[] strippedHeader(int index) {
    byte[] header = new byte[16];
    System.arraycopy(STRIPPED_MAGIC, 0, header, 0, STRIPPED_MAGIC.length);
    hex8(header, STRIPPED_MAGIC.length, index);
    return header;
  }

  /** The 110-byte header, the NUL-terminated name, and padding to four bytes. */
  private static byte[] newcHeader(
      String name, long inode, long mode, long links, long mtime, long size) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    int length = NEWC_HEADER + nameBytes.length + 1;
    byte[] header = new byte[length + (4 - length % 4) % 4];
    System.arraycopy(NEWC_MAGIC, 0, header, 0, NEWC_MAGIC.length);
    // ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check
    long[] fields = {inode, mode, 0, 0, links, mtime, size, 0, 0, 0, 0, nameBytes.length + 1, 0};
    for (int f = 0; f < fields.length; f++) {
      hex8(header, NEWC_MAGIC.length + 8 * f, fields[f]);
    }
    System.arraycopy(nameBytes, 0, header, NEWC_HEADER, nameBytes.length);
    return header;
  }

  /**
   * Eight lower-case hex digits at {@code at}, written directly: String.format per field was a
   * visible cost over thousands of entries.
   */
  private static void hex8(byte[] out, int at, long value) {
    long rest = value;
    for (int digit = 7; digit >= 0; digit--) {
      out[at + digit] = (byte) Character.forDigit((int) (rest & 0xf), 16);
      rest >>>= 4;
    }
  }
}
