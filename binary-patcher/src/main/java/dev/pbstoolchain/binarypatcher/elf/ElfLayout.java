package dev.pbstoolchain.binarypatcher.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * The layout step's result: where every table an edit changed goes in the output, in output
 * offsets. Nothing here is bytes of the file yet except what is placed as it is (the ELF header
 * copied to the front, a moved block of sections, a note, an interpreter path); {@link ElfWriter}
 * turns the rest (program and section headers, dynamic entries, {@code .dynstr}, the ELF header's
 * fields) into bytes. An empty layout changes nothing.
 *
 * @param shift how far the whole input moves into the output (0: it stays)
 * @param length the output's length when it grows, else -1
 * @param cleared dead bytes to zero, before anything is placed
 * @param copies bytes placed as they are, in order (a later one may land on an earlier one)
 * @param strings where {@code .dynstr} goes, or null when it does not change
 * @param programHeaders the program header table to write, or null
 * @param dynamic the dynamic table to write, or null
 * @param sectionHeaders the section header table to write, or null
 * @param patches an edit's bytes for offsets of the input (renamed symbols, EI_OSABI...), placed
 *     last at their output offsets
 */
record ElfLayout(
    long shift,
    long length,
    List<Span> cleared,
    List<Placed> copies,
    Strings strings,
    ProgramHeaders programHeaders,
    Dynamic dynamic,
    SectionHeaders sectionHeaders,
    List<Placed> patches) {

  /** {@code length} bytes at {@code offset}. */
  record Span(long offset, long length) {}

  /** Bytes at an output offset (owned by the layout: nobody changes them afterwards). */
  record Placed(long offset, byte[] bytes) {}

  /**
   * {@code .dynstr} at {@code offset}: the whole table, appended strings included, or (not {@code
   * whole}) only its original bytes as edited in place.
   */
  record Strings(StringTable table, long offset, boolean whole) {}

  /**
   * Program headers at {@code offset}: every one, and e_phoff/e_phnum set to them, or (with {@code
   * only} not null) just the entries of those indices, where they are.
   */
  record ProgramHeaders(long offset, List<ProgramHeader> headers, List<Integer> only) {}

  /** The dynamic entries at {@code offset}, padded with DT_NULL to {@code slots} entries. */
  record Dynamic(long offset, List<DynamicEntry> entries, int slots) {}

  /**
   * Section headers at {@code offset}: every one, with e_shoff/e_shnum set to them (and the section
   * name table {@code names} at {@code namesOffset} first when it grew), or (with {@code only} not
   * null) just the entry of that index, where it is.
   */
  record SectionHeaders(
      long offset, List<SectionHeader> headers, byte[] names, long namesOffset, Integer only) {}

  boolean isEmpty() {
    return shift == 0
        && length < 0
        && cleared.isEmpty()
        && copies.isEmpty()
        && strings == null
        && programHeaders == null
        && dynamic == null
        && sectionHeaders == null
        && patches.isEmpty();
  }

  /** Collects a layout as the layout step decides it; {@link #build()} freezes it. */
  static final class Builder {
    private long shift;
    private long length = -1;
    private final List<Span> cleared = new ArrayList<>();
    private final List<Placed> copies = new ArrayList<>();
    private Strings strings;
    private ProgramHeaders programHeaders;
    private Dynamic dynamic;
    private SectionHeaders sectionHeaders;
    private final List<Placed> patches = new ArrayList<>();

    Builder shift(long bytes) {
      shift = bytes;
      return this;
    }

    long shift() {
      return shift;
    }

    /** The output is at least {@code bytes} long (zero-filled). */
    Builder extendTo(long bytes) {
      length = Math.max(length, bytes);
      return this;
    }

    Builder clear(long offset, long bytes) {
      cleared.add(new Span(offset, bytes));
      return this;
    }

    Builder copy(long offset, byte[] bytes) {
      copies.add(new Placed(offset, bytes));
      return this;
    }

    Builder strings(StringTable table, long offset, boolean whole) {
      strings = new Strings(table, offset, whole);
      return this;
    }

    Builder programHeaders(long offset, List<ProgramHeader> headers) {
      programHeaders = new ProgramHeaders(offset, List.copyOf(headers), null);
      return this;
    }

    Builder programHeaderEntries(long offset, List<ProgramHeader> headers, List<Integer> only) {
      programHeaders = new ProgramHeaders(offset, List.copyOf(headers), List.copyOf(only));
      return this;
    }

    Builder dynamic(long offset, List<DynamicEntry> entries, int slots) {
      dynamic = new Dynamic(offset, List.copyOf(entries), slots);
      return this;
    }

    Builder sectionHeaders(long offset, List<SectionHeader> headers, byte[] names, long at) {
      sectionHeaders = new SectionHeaders(offset, List.copyOf(headers), names, at, null);
      return this;
    }

    Builder sectionHeaderEntry(long tableOffset, List<SectionHeader> headers, int index) {
      sectionHeaders = new SectionHeaders(tableOffset, List.copyOf(headers), null, -1, index);
      return this;
    }

    Builder patch(long offset, byte[] bytes) {
      patches.add(new Placed(offset, bytes));
      return this;
    }

    ElfLayout build() {
      return new ElfLayout(
          shift,
          length,
          List.copyOf(cleared),
          List.copyOf(copies),
          strings,
          programHeaders,
          dynamic,
          sectionHeaders,
          List.copyOf(patches));
    }
  }
}
