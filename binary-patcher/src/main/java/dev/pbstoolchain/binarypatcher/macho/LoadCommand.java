package dev.pbstoolchain.binarypatcher.macho;

/**
 * One load command of a Mach-O image, raw, with its name string decoded when it has one.
 *
 * @param cmd the {@code LC_*} value
 * @param offset where it starts, relative to the image
 * @param bytes its {@code cmdsize} bytes as stored
 * @param name the path it carries ({@code dylib.name}, {@code path} of LC_RPATH), or null
 * @param nameOffset the {@code lc_str} offset of {@code name} within the command, or -1
 */
public record LoadCommand(int cmd, long offset, byte[] bytes, String name, int nameOffset) {

  public static final int LC_SEGMENT = 0x1;
  public static final int LC_LOAD_DYLIB = 0xc;
  public static final int LC_ID_DYLIB = 0xd;
  public static final int LC_LOAD_DYLINKER = 0xe;
  public static final int LC_SEGMENT_64 = 0x19;
  public static final int LC_CODE_SIGNATURE = 0x1d;
  public static final int LC_LAZY_LOAD_DYLIB = 0x20;
  public static final int LC_LOAD_WEAK_DYLIB = 0x80000018;
  public static final int LC_RPATH = 0x8000001c;
  public static final int LC_REEXPORT_DYLIB = 0x8000001f;
  public static final int LC_LOAD_UPWARD_DYLIB = 0x80000023;

  /** Whether the command names a library the image loads. */
  public boolean isDylibUse() {
    return isDylibUse(cmd);
  }

  /** Whether {@code cmd} is one of the commands naming a library an image loads. */
  public static boolean isDylibUse(int cmd) {
    return cmd == LC_LOAD_DYLIB
        || cmd == LC_LOAD_WEAK_DYLIB
        || cmd == LC_REEXPORT_DYLIB
        || cmd == LC_LOAD_UPWARD_DYLIB
        || cmd == LC_LAZY_LOAD_DYLIB;
  }

  public int size() {
    return bytes.length;
  }
}
