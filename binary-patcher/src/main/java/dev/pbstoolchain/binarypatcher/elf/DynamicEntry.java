package dev.pbstoolchain.binarypatcher.elf;

/** One {@code Elf_Dyn}: a tag and its value (a number, an address or a {@code .dynstr} offset). */
public record DynamicEntry(long tag, long value) {

  public static final long DT_NULL = 0;
  public static final long DT_NEEDED = 1;
  public static final long DT_STRTAB = 5;
  public static final long DT_STRSZ = 10;
  public static final long DT_SONAME = 14;
  public static final long DT_RPATH = 15;
  public static final long DT_RUNPATH = 29;
  public static final long DT_DEBUG = 21;
  public static final long DT_FLAGS_1 = 0x6ffffffbL;
  public static final long DF_1_NODEFLIB = 0x800;
  public static final long DT_VERNEED = 0x6ffffffeL;
  public static final long DT_VERNEEDNUM = 0x6fffffffL;

  /** The name of a tag whose value is a .dynstr offset, or null for other tags. */
  static String stringTagName(long tag) {
    if (tag == DT_NEEDED) {
      return "DT_NEEDED";
    } else if (tag == DT_SONAME) {
      return "DT_SONAME";
    } else if (tag == DT_RPATH) {
      return "DT_RPATH";
    } else if (tag == DT_RUNPATH) {
      return "DT_RUNPATH";
    }
    return null;
  }
}
