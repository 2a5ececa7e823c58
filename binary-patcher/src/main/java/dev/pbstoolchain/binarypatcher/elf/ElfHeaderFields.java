package dev.pbstoolchain.binarypatcher.elf;

/**
 * Where the {@code Elf_Ehdr} fields an edit rewrites sit, in one place for both classes: after
 * {@code e_ident} (16), {@code e_type}, {@code e_machine} (2 each), {@code e_version} (4) and
 * {@code e_entry} (a word) come {@code e_phoff} and {@code e_shoff} (words), {@code e_flags} (4),
 * then the 2-byte {@code e_ehsize}, {@code e_phentsize}, {@code e_phnum}, {@code e_shentsize},
 * {@code e_shnum} and {@code e_shstrndx}.
 */
final class ElfHeaderFields {

  private static final int AFTER_VERSION = 24;

  private ElfHeaderFields() {}

  static int phoff(ElfCodec c) {
    return AFTER_VERSION + c.wordSize();
  }

  static int shoff(ElfCodec c) {
    return AFTER_VERSION + 2 * c.wordSize();
  }

  /** {@code e_ehsize}: the first 2-byte field after {@code e_flags}. */
  private static int halves(ElfCodec c) {
    return AFTER_VERSION + 3 * c.wordSize() + 4;
  }

  static int phentsize(ElfCodec c) {
    return halves(c) + 2;
  }

  static int phnum(ElfCodec c) {
    return halves(c) + 4;
  }

  static int shentsize(ElfCodec c) {
    return halves(c) + 6;
  }

  static int shnum(ElfCodec c) {
    return halves(c) + 8;
  }

  static int shstrndx(ElfCodec c) {
    return halves(c) + 10;
  }
}
