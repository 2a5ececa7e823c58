package dev.pbstoolchain.licenses.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One 512-byte tar header block (POSIX ustar, with the GNU variants real archives carry), named as
 * POSIX names its fields. Only what finding an entry needs is kept.
 *
 * @param name the entry's path ({@code prefix/name} in ustar)
 * @param size the size field: how many bytes of data follow, before padding
 * @param typeflag the type, e.g. {@code '0'} regular file, {@code 'x'} pax extended header
 * @param linkname a link's target
 * @param sparseExtended for a GNU sparse file ({@code 'S'}), whether extension blocks of its sparse
 *     map follow the header, before the data
 */
record TarHeader(String name, long size, byte typeflag, String linkname, boolean sparseExtended) {

  static final int BLOCK = 512;

  private static final int NAME = 0;
  private static final int NAME_LENGTH = 100;
  private static final int SIZE = 124;
  private static final int SIZE_LENGTH = 12;
  private static final int CHKSUM = 148;
  private static final int CHKSUM_LENGTH = 8;
  private static final int TYPEFLAG = 156;
  private static final int LINKNAME = 157;
  private static final int LINKNAME_LENGTH = 100;
  private static final int MAGIC = 257;
  private static final int PREFIX = 345;
  private static final int PREFIX_LENGTH = 155;
  private static final int GNU_ISEXTENDED = 482;

  /** In a GNU sparse map's extension block: whether another one follows. */
  static final int GNU_EXTENSION_ISEXTENDED = 504;

  /** True for the all-zero block that ends an archive. */
  static boolean isEnd(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** Parses {@code block}, failing on a bad checksum: a corrupt or non-tar stream. */
  static TarHeader from(byte[] block) throws IOException {
    long stored = octal(block, CHKSUM, CHKSUM_LENGTH);
    if (stored != checksum(block, false) && stored != checksum(block, true)) {
      throw new IOException(
          "a tar header's checksum does not match (not a tar stream, or corrupt)");
    }
    String name = string(block, NAME, NAME_LENGTH);
    // POSIX ustar ("ustar\0") splits long paths into prefix and name; GNU's old format ("ustar  ")
    // keeps other fields at the prefix's offset.
    if (block[MAGIC + 5] == 0 && "ustar".equals(string(block, MAGIC, 5))) {
      String prefix = string(block, PREFIX, PREFIX_LENGTH);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
    }
    byte typeflag = block[TYPEFLAG];
    return new TarHeader(
        name,
        size(block),
        typeflag,
        string(block, LINKNAME, LINKNAME_LENGTH),
        typeflag == 'S' && block[GNU_ISEXTENDED] != 0);
  }

  /**
   * True when data blocks follow the header: as GNU tar reads archives, all but hard links and
   * directories carry their size field's worth (a symlink's or a FIFO's is normally 0).
   */
  boolean hasData() {
    return type() != TarReader.Type.HARD_LINK && type() != TarReader.Type.DIRECTORY;
  }

  TarReader.Type type() {
    return switch (typeflag) {
      case '0', '7', 'S' -> TarReader.Type.FILE;
      // Pre-POSIX tars mark directories as regular files whose name ends in '/'.
      case 0 -> name.endsWith("/") ? TarReader.Type.DIRECTORY : TarReader.Type.FILE;
      case '1' -> TarReader.Type.HARD_LINK;
      case '2' -> TarReader.Type.SYMLINK;
      case '5' -> TarReader.Type.DIRECTORY;
      default -> TarReader.Type.OTHER;
    };
  }

  /**
   * The size field: octal, or base-256 (high bit set) for sizes past 8 GiB as GNU and star write.
   */
  private static long size(byte[] block) throws IOException {
    if ((block[SIZE] & 0x80) == 0) {
      return octal(block, SIZE, SIZE_LENGTH);
    }
    if ((block[SIZE] & 0x40) != 0) {
      throw new IOException("a tar header has a negative size");
    }
    long value = block[SIZE] & 0x3f;
    for (int i = SIZE + 1; i < SIZE + SIZE_LENGTH; i++) {
      if (value >>> 55 != 0) {
        throw new IOException("a tar header's size does not fit in 63 bits");
      }
      value = value << 8 | block[i] & 0xff;
    }
    return value;
  }

  private static long octal(byte[] block, int offset, int length) throws IOException {
    int i = offset;
    int end = offset + length;
    while (i < end && (block[i] == ' ' || block[i] == 0)) {
      i++;
    }
    long value = 0;
    for (; i < end && block[i] != ' ' && block[i] != 0; i++) {
      int digit = block[i] - '0';
      if (digit < 0 || digit > 7 || value >>> 60 != 0) {
        throw new IOException("a tar header holds a malformed number at offset " + offset);
      }
      value = value << 3 | digit;
    }
    return value;
  }

  /**
   * The header's sum with the checksum field read as spaces, bytes unsigned or (old tars) signed.
   */
  private static long checksum(byte[] block, boolean signed) {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      boolean inField = i >= CHKSUM && i < CHKSUM + CHKSUM_LENGTH;
      sum += inField ? ' ' : signed ? block[i] : block[i] & 0xff;
    }
    return sum;
  }

  private static String string(byte[] block, int offset, int length) {
    int end = offset;
    while (end < offset + length && block[end] != 0) {
      end++;
    }
    return new String(block, offset, end - offset, StandardCharsets.UTF_8);
  }
}
