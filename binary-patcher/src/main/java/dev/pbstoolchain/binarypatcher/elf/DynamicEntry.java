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

  // Tags whose value is an address (d_ptr), by their names in the gABI, glibc's elf.h and the MIPS
  // psABI. Package-private: only the editor needs them, to follow sections it moves.
  static final long DT_PLTGOT = 3;
  static final long DT_HASH = 4;
  static final long DT_SYMTAB = 6;
  static final long DT_RELA = 7;
  static final long DT_INIT = 12;
  static final long DT_FINI = 13;
  static final long DT_REL = 17;
  static final long DT_JMPREL = 23;
  static final long DT_INIT_ARRAY = 25;
  static final long DT_FINI_ARRAY = 26;
  static final long DT_PREINIT_ARRAY = 32;
  static final long DT_SYMTAB_SHNDX = 34;
  static final long DT_RELR = 36;
  static final long DT_GNU_HASH = 0x6ffffef5L;
  static final long DT_TLSDESC_PLT = 0x6ffffef6L;
  static final long DT_TLSDESC_GOT = 0x6ffffef7L;
  static final long DT_GNU_CONFLICT = 0x6ffffef8L;
  static final long DT_GNU_LIBLIST = 0x6ffffef9L;
  static final long DT_CONFIG = 0x6ffffefaL;
  static final long DT_DEPAUDIT = 0x6ffffefbL;
  static final long DT_AUDIT = 0x6ffffefcL;
  static final long DT_PLTPAD = 0x6ffffefdL;
  static final long DT_MOVETAB = 0x6ffffefeL;
  static final long DT_SYMINFO = 0x6ffffeffL;
  static final long DT_VERSYM = 0x6ffffff0L;
  static final long DT_VERDEF = 0x6ffffffcL;
  static final long DT_MIPS_BASE_ADDRESS = 0x70000006L;
  static final long DT_MIPS_CONFLICT = 0x70000008L;
  static final long DT_MIPS_RLD_MAP = 0x70000016L;

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
