package dev.pbstoolchain.binarypatcher.elf;

/**
 * Bytes an edit puts at an offset of the file as read. The layout decides where that offset ends up
 * in the output (the block of sections after the program header table may move, the whole file may
 * shift); the write itself never changes.
 */
record PendingWrite(long offset, byte[] bytes, Kind kind) {

  /** What the bytes are: the tables an edit keeps accept only the rewrite meant for them. */
  enum Kind {
    /** A renamed library in a version need's {@code vn_file}. */
    VERSION_NEED_FILE,
    /** A relocation section rewritten with renumbered symbols. */
    RELOCATIONS,
    /** Anything else (a symbol table, a hash table, the ELF header's EI_OSABI...). */
    OTHER
  }
}
