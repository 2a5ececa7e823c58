package dev.pbstoolchain.binarypatcher.elf;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.io.AtomicPatcher;
import dev.pbstoolchain.binarypatcher.io.PatchPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Applies an {@link ElfEdit}. Strings that fit are written in place; otherwise the grown {@code
 * .dynstr} (and the dynamic section or interpreter when they must grow too) go into a new PT_LOAD
 * segment at the end of the file, together with a copy of the program header table that lists it.
 * Nothing else moves, so no other address in the file changes.
 */
public final class ElfEditor {

  /** The highest address and offset an ELF32 file holds. */
  private static final long ELF32_LIMIT = 0xffffffffL;

  /** Spare entries left in a relocated dynamic section so later edits fit in place. */
  private static final int SPARE_DYNAMIC_SLOTS = 4;

  /** The most a new segment may leave unused between the old end of file and itself. */
  private static final long MAX_FILE_HOLE = 1L << 20;

  /**
   * Dynamic tags whose value is an address ({@code d_ptr}), which must follow moved sections: the
   * gABI's, glibc's DT_ADDRRNGLO..DT_ADDRRNGHI range and the versioning tables, and MIPS's.
   */
  private static final Set<Long> ADDRESS_TAGS =
      Set.of(
          DynamicEntry.DT_PLTGOT,
          DynamicEntry.DT_HASH,
          DynamicEntry.DT_STRTAB,
          DynamicEntry.DT_SYMTAB,
          DynamicEntry.DT_RELA,
          DynamicEntry.DT_INIT,
          DynamicEntry.DT_FINI,
          DynamicEntry.DT_REL,
          DynamicEntry.DT_JMPREL,
          DynamicEntry.DT_INIT_ARRAY,
          DynamicEntry.DT_FINI_ARRAY,
          DynamicEntry.DT_PREINIT_ARRAY,
          DynamicEntry.DT_SYMTAB_SHNDX,
          DynamicEntry.DT_RELR,
          DynamicEntry.DT_GNU_HASH,
          DynamicEntry.DT_TLSDESC_PLT,
          DynamicEntry.DT_TLSDESC_GOT,
          DynamicEntry.DT_GNU_CONFLICT,
          DynamicEntry.DT_GNU_LIBLIST,
          DynamicEntry.DT_CONFIG,
          DynamicEntry.DT_DEPAUDIT,
          DynamicEntry.DT_AUDIT,
          DynamicEntry.DT_PLTPAD,
          DynamicEntry.DT_MOVETAB,
          DynamicEntry.DT_SYMINFO,
          DynamicEntry.DT_VERSYM,
          DynamicEntry.DT_VERDEF,
          DynamicEntry.DT_VERNEED,
          DynamicEntry.DT_MIPS_BASE_ADDRESS,
          DynamicEntry.DT_MIPS_CONFLICT,
          DynamicEntry.DT_MIPS_RLD_MAP);

  private ElfEditor() {}

  static boolean isAddressTag(long tag) {
    return ADDRESS_TAGS.contains(tag);
  }

  /** Edits {@code input} (or writes {@code edit.output()}) atomically; returns the written path. */
  public static Path apply(Path input, ElfEdit edit) throws BinaryFormatException {
    return apply(input, ElfFile.read(input), edit);
  }

  /** As {@link #apply(Path, ElfEdit)}, with {@code input} already read. */
  public static Path apply(Path input, ElfFile elf, ElfEdit edit) throws BinaryFormatException {
    return apply(input, elf, edit, warning -> {});
  }

  /**
   * As {@link #apply(Path, ElfFile, ElfEdit)}, telling {@code warnings} what does not stop the edit
   * (e.g. a resolution cache with nothing to record).
   */
  public static Path apply(
      Path input, ElfFile elf, ElfEdit edit, java.util.function.Consumer<String> warnings)
      throws BinaryFormatException {
    Planner planner = planner(elf, edit);
    ElfLayout layout = planner.layout();
    planner.edited.warnings.forEach(warnings);
    Path output = edit.output() == null ? input : edit.output();
    if (layout.isEmpty() && output.equals(input)) {
      return input;
    }
    PatchPlan plan = write(elf, planner, layout);
    try {
      AtomicPatcher.apply(input, output, plan);
    } catch (IOException e) {
      throw new BinaryFormatException(
          input, "cannot write " + output + ": " + e.getMessage() + "; the input is unchanged", e);
    }
    return output;
  }

  static PatchPlan plan(ElfFile elf, ElfEdit edit) throws BinaryFormatException {
    Planner planner = planner(elf, edit);
    return write(elf, planner, planner.layout());
  }

  /** The plan of {@code layout}, once it is known to keep the tables it must keep as they are. */
  private static PatchPlan write(ElfFile elf, Planner planner, ElfLayout layout)
      throws BinaryFormatException {
    PatchPlan plan = ElfWriter.write(layout, elf.codec);
    KeptTables.check(elf, layout, plan, planner::outputOffset, planner.pendingWrites);
    return plan;
  }

  private static Planner planner(ElfFile elf, ElfEdit edit) throws BinaryFormatException {
    if (elf.type != ElfFile.ET_EXEC && elf.type != ElfFile.ET_DYN) {
      throw elf.problem(
          "wrong ELF type: e_type is "
              + elf.type
              + " (an executable is 2, a shared library or PIE 3); a relocatable object or core"
              + " file has no program headers to patch");
    }
    if (edit.touchesDynamic() && !elf.hasDynamicSection()) {
      throw elf.problem(
          "has no dynamic section (no PT_DYNAMIC program header): it is statically linked, so"
              + " there is no RUNPATH, NEEDED or SONAME to edit");
    }
    if (edit.touchesDynamic()
        && (elf.value(DynamicEntry.DT_STRTAB).isEmpty()
            || elf.value(DynamicEntry.DT_STRSZ).isEmpty())) {
      // The reader accepts a table that ends before any string is named (DT_NULL first); an
      // edit would write entries that name strings, or others, into a table without DT_STRTAB,
      // which then cannot be read.
      throw elf.problem(
          "its dynamic section has no DT_STRTAB/DT_STRSZ (it ends after "
              + elf.dynamic.size()
              + " entries), so there is no string table to edit: the file is corrupt");
    }
    if (hasInterpreterEdit(edit) && elf.interpSegment == null) {
      throw elf.problem(
          "has no PT_INTERP program header (a shared library or a static executable), so there"
              + " is no interpreter to set");
    }
    if (edit.buildResolutionCache() && edit.forceRpath()) {
      throw elf.problem("--build-resolution-cache cannot be combined with --force-rpath");
    }
    return new Planner(elf, edit);
  }

  /** An empty interpreter means no change, as with patchelf (an empty PT_INTERP cannot start). */
  static boolean hasInterpreterEdit(ElfEdit edit) {
    return edit.setInterpreter() != null && !edit.setInterpreter().isEmpty();
  }

  /**
   * The tables the layout must place anew because they outgrew their place (patchelf's replaced
   * sections): {@code .dynstr}, the dynamic table, the interpreter path.
   */
  private record Moving(boolean dynstr, boolean dynamic, boolean interp) {
    boolean any() {
      return dynstr || dynamic || interp;
    }
  }

  private static final class Planner {
    private final ElfFile elf;
    private final ElfEdit edit;
    private final ElfCodec c;
    private final EditedTables edited;

    /** The new interpreter path with its NUL, or null when it does not change. */
    private final byte[] interp;

    private final StringTable strings;

    /** The dynamic entries as edited; the layout updates the addresses of moved tables. */
    private final List<DynamicEntry> dyn;

    /** Writes into sections that may move with the block after the program header table. */
    private final List<PendingWrite> pendingWrites;

    /** The program headers as edited; the layout replaces them with placed copies. */
    private final List<ProgramHeader> phdrs;

    /** The section headers as edited, replaced by moved copies as the layout places them. */
    private final List<SectionHeader> sections;

    /** Where the layout puts each table; {@link ElfWriter} writes it. */
    private final ElfLayout.Builder out = new ElfLayout.Builder();

    /** The block of sections the layout moved, and by how much (in output offsets), or null. */
    private Block movedBlock;

    private long movedBlockBy;

    /** A resolution cache note to add (its bytes), and its PT_NOTE as placed. */
    private final byte[] note;

    private ProgramHeader notePhdr;

    /** A cache note this edit made stale: its old place, and its section's index. */
    private final SectionHeader staleNote;

    private final int staleNoteIndex;

    Planner(ElfFile elf, ElfEdit edit) throws BinaryFormatException {
      this.elf = elf;
      this.edit = edit.raw();
      this.c = elf.codec;
      this.edited = EditedTables.of(elf, this.edit);
      this.interp = edited.interpreter;
      this.strings = edited.strings;
      this.dyn = edited.dynamic;
      this.pendingWrites = edited.pendingWrites;
      this.phdrs = edited.programHeaders;
      this.sections = edited.sections;
      this.note = edited.note;
      this.notePhdr = edited.notePhdr;
      this.staleNote = edited.staleNote;
      this.staleNoteIndex = edited.staleNoteIndex;
    }

    ElfLayout layout() throws BinaryFormatException {
      boolean phdrAdded = edited.programHeaderAdded();
      boolean dynamicChanged = !dyn.equals(elf.dynamic);
      Moving moving =
          new Moving(
              strings.grew(),
              // Only a changed table moves: a full one that stays the same is left where it is.
              elf.hasDynamicSection() && dynamicChanged && dyn.size() + 1 > elf.dynamicSlots,
              interp != null && interp.length > interpreterRoom());
      boolean noteDropped = staleNoteIndex >= 0;
      boolean grows = moving.any() || phdrAdded || note != null;
      if (grows
          && elf.hasDynamicSection()
          && elf.programHeaders.stream()
              .noneMatch(p -> p.containsVaddr(elf.dynamicSegment.vaddr))) {
        // The loader reads the table at its address; a layout that maps new bytes there (a
        // segment extended down, or one added above the others) would give it other bytes.
        throw elf.problem(
            "PT_DYNAMIC's address 0x"
                + Long.toHexString(elf.dynamicSegment.vaddr)
                + " is in no PT_LOAD segment, so the loader cannot find the dynamic table: the"
                + " file is corrupt");
      }
      checkRelocationsNotRewritten(grows, dynamicChanged);
      checkInterpreterSectionNotNames();
      checkNamesApartFromHeaders();
      if (grows && canShift(moving)) {
        clearStaleNote(0);
        shiftExecutable(moving);
      } else if (grows) {
        clearStaleNote(0);
        relocate(moving);
      } else {
        if (noteDropped) {
          clearStaleNote(0);
          placeProgramHeaderTable();
          out.sectionHeaderEntry(elf.shoff, sections, staleNoteIndex);
        } else {
          List<Integer> changed = new java.util.ArrayList<>();
          for (int i = 0; i < phdrs.size(); i++) {
            if (phdrs.get(i).flags != elf.programHeaders.get(i).flags) {
              changed.add(i);
            }
          }
          if (!changed.isEmpty()) {
            out.programHeaderEntries(elf.phoff, phdrs, changed);
          }
        }
        if (dynamicChanged) {
          out.dynamic(elf.dynamicSegment.offset, dyn, elf.dynamicSlots);
        }
        if (strings.changedInPlace()) {
          out.strings(strings, elf.dynstrFileOffset, false);
        }
        if (interp != null) {
          placeInterpreterInPlace(elf.interpSegment.offset);
        }
      }
      for (PendingWrite w : pendingWrites) {
        out.patch(outputOffset(w.offset()), w.bytes());
      }
      return out.build();
    }

    /**
     * Refuses an edit of a file whose section name table shares bytes with the section header
     * table: every layout writes the headers anew, which would overwrite the names (and leave the
     * table without its terminating NUL).
     */
    private void checkNamesApartFromHeaders() throws BinaryFormatException {
      if (elf.sections.isEmpty() || elf.shstrndx <= 0 || elf.shstrndx >= elf.sections.size()) {
        return;
      }
      SectionHeader names = elf.sections.get(elf.shstrndx);
      long headersEnd = elf.shoff + (long) elf.sections.size() * elf.shentsize;
      if (names.type != SectionHeader.SHT_NOBITS
          && names.offset < headersEnd
          && names.offset + names.size > elf.shoff) {
        throw elf.problem(
            "the section name table (bytes "
                + names.offset
                + ".."
                + (names.offset + names.size)
                + ") overlaps the section header table (bytes "
                + elf.shoff
                + ".."
                + headersEnd
                + "), so writing the headers would change the section names: the file is corrupt");
      }
    }

    /**
     * Refuses a new interpreter path when the section name table is the section named .interp
     * (readers, ours and patchelf's, take the path from that section): writing the path there, or
     * pointing that header at the new path, would leave the file without its section names.
     */
    private void checkInterpreterSectionNotNames() throws BinaryFormatException {
      if (interp == null || elf.shstrndx <= 0 || elf.shstrndx >= elf.sections.size()) {
        return;
      }
      if (elf.sections.get(elf.shstrndx).name.equals(".interp")) {
        throw elf.problem(
            "the section name table (section "
                + elf.shstrndx
                + ") is named .interp, so a new interpreter path would replace the section names:"
                + " the file is corrupt (its e_shstrndx or that section's sh_name is wrong)");
      }
    }

    /**
     * Refuses an edit that would rewrite bytes of a dynamic relocation table: a table that shares
     * bytes with the ELF header, a header table, .dynstr, the dynamic table, the interpreter path
     * or a dropped note, which this edit writes anew (no linker lays out a file so; the loader
     * would read other relocations afterwards). Moving tables is the layout's concern ({@link
     * Block}).
     */
    private void checkRelocationsNotRewritten(boolean grows, boolean dynamicChanged)
        throws BinaryFormatException {
      List<Extent> relocations = DynamicRelocations.extents(elf);
      if (relocations.isEmpty()) {
        return;
      }
      List<Extent> rewritten = new java.util.ArrayList<>();
      if (grows) {
        rewritten.add(new Extent("the ELF header", 0, elf.header.length));
        rewritten.add(
            new Extent(
                "the program header table",
                elf.phoff,
                // Where the table grows in place, the block after it moves, relocations too.
                elf.phoff + (long) elf.phnum * elf.phentsize));
        rewritten.add(
            new Extent(
                "the section header table",
                elf.shoff,
                elf.shoff + (long) elf.sections.size() * elf.shentsize));
      }
      if (strings.grew() || strings.changedInPlace()) {
        rewritten.add(
            new Extent(".dynstr", elf.dynstrFileOffset, elf.dynstrFileOffset + elf.dynstr.length));
      }
      if (elf.hasDynamicSection() && (grows || dynamicChanged)) {
        long at = elf.dynamicSegment.offset;
        rewritten.add(
            new Extent(
                "the dynamic table", at, at + (long) elf.dynamicSlots * c.dynamicEntrySize()));
      }
      if (interp != null) {
        long at = elf.interpSegment.offset;
        rewritten.add(new Extent("PT_INTERP", at, at + elf.interpSegment.filesz));
      }
      if (edit.renameDynamicSymbols().isEmpty()) {
        // (--rename-dynamic-symbols renumbers the relocations' symbols on purpose.)
        for (PendingWrite w : pendingWrites) {
          rewritten.add(
              new Extent(
                  "bytes this edit patches (a version need, a symbol, the ELF header)",
                  w.offset(),
                  w.offset() + w.bytes().length));
        }
      }
      if (staleNote != null) {
        rewritten.add(
            new Extent(
                "the resolution cache note", staleNote.offset, staleNote.offset + staleNote.size));
      }
      for (Extent r : relocations) {
        for (Extent w : rewritten) {
          if (r.overlaps(w.offset(), w.end())) {
            throw elf.problem(
                "the relocation table "
                    + r.name()
                    + " names (offset 0x"
                    + Long.toHexString(r.offset())
                    + ", "
                    + (r.end() - r.offset())
                    + " bytes) shares bytes with "
                    + w.name()
                    + ", which this edit rewrites: the file is corrupt");
          }
        }
      }
    }

    /**
     * Where the byte at {@code inputOffset} of the file as read is in the output: moved with the
     * block of sections after the program header table, or by the whole file's shift (the ELF
     * header stays at 0 when the rest of the file moves up).
     */
    private long outputOffset(long inputOffset) {
      if (movedBlock != null && inputOffset >= movedBlock.start && inputOffset < movedBlock.end) {
        return inputOffset + movedBlockBy;
      }
      return inputOffset < elf.header.length ? inputOffset : inputOffset + out.shift();
    }

    /** Clears the dropped note's bytes, at {@code shift} past where they were. */
    private void clearStaleNote(long shift) {
      if (staleNote != null) {
        out.clear(staleNote.offset + shift, staleNote.size);
      }
    }

    /** Places the program header table where it is (it has not grown), PT_PHDR sized to it. */
    private void placeProgramHeaderTable() {
      for (int i = 0; i < phdrs.size(); i++) {
        ProgramHeader p = phdrs.get(i);
        if (p.type == ProgramHeader.PT_PHDR) {
          phdrs.set(i, p.withSize((long) phdrs.size() * c.programHeaderSize()));
        }
      }
      out.programHeaders(elf.phoff, phdrs);
    }

    /** The PT_LOAD that maps the ELF header (offset 0), if it is also the lowest in memory. */
    private ProgramHeader headerSegment() {
      ProgramHeader first = null;
      for (ProgramHeader p : phdrs) {
        if (p.type == ProgramHeader.PT_LOAD
            && (first == null || Long.compareUnsigned(p.vaddr, first.vaddr) < 0)) {
          first = p;
        }
      }
      return first != null && first.offset == 0 ? first : null;
    }

    /**
     * Whether the grown tables can go in front of the file, as patchelf does for executables: a
     * non-PIE executable's first segment can start lower in memory, so the file grows by a page or
     * two instead of gaining a segment after its end (and after .bss). The dynamic section must
     * stay where it is: the loader writes to it, and the first segment is read-only.
     */
    private boolean canShift(Moving moving) {
      return elf.type == ElfFile.ET_EXEC
          && !moving.dynamic()
          && headerSegment() != null
          && elf.phoff == elf.header.length;
    }

    /**
     * The executable's layout for grown tables: the whole file moves up by {@code shift} (whole
     * pages), the first PT_LOAD starts {@code shift} lower in memory and maps the new room, which
     * holds the ELF header, the program header table and the grown tables. No address already in
     * the file changes; every file offset moves by {@code shift}.
     */
    private void shiftExecutable(Moving moving) throws BinaryFormatException {
      long page = edit.pageSize() > 0 ? edit.pageSize() : elf.defaultPageSize();
      if (Long.bitCount(page) != 1) {
        throw elf.problem("page size " + page + " is not a power of two");
      }
      if (moving.dynstr() && !moving.interp() && shiftWithBlock(page)) {
        return;
      }
      ProgramHeader first = headerSegment();
      int headerSize = elf.header.length;
      int tableSize = phdrs.size() * c.programHeaderSize();
      long cursor = alignUp(headerSize + (long) tableSize, 16);
      long interpAt = -1;
      if (moving.interp()) {
        interpAt = cursor;
        cursor += interp.length;
      }
      long noteAt = -1;
      if (note != null) {
        noteAt = alignUp(cursor, ResolutionCache.NOTE_ALIGN);
        cursor = noteAt + note.length;
      }
      long dynstrAt = -1;
      long dynstrLength = strings.length();
      if (moving.dynstr()) {
        dynstrAt = alignUp(cursor, 8);
        cursor = dynstrAt + dynstrLength;
      }
      long shift = alignUp(cursor, page);
      if (Long.compareUnsigned(first.vaddr, shift) < 0) {
        // No room below the first segment: lay the tables out after the file instead.
        relocate(moving);
        return;
      }
      long base = first.vaddr - shift;
      out.shift(shift);
      out.extendTo(elf.fileSize + shift);

      for (int i = 0; i < phdrs.size(); i++) {
        ProgramHeader p = phdrs.get(i);
        if (p == first) {
          phdrs.set(i, p.extendedDown(shift, base));
        } else if (p.type == ProgramHeader.PT_PHDR) {
          phdrs.set(i, p.placed(headerSize, base + headerSize, tableSize));
        } else if (p.type == ProgramHeader.PT_INTERP && moving.interp()) {
          phdrs.set(i, p.placed(interpAt, base + interpAt, interp.length));
        } else if (p == notePhdr) {
          phdrs.set(i, notePhdr = p.placed(noteAt, base + noteAt, note.length));
        } else if (p.offset != 0 || p.filesz != 0) {
          phdrs.set(i, p.movedBy(shift, 0));
        }
      }
      if (moving.dynstr()) {
        setValue(DynamicEntry.DT_STRTAB, base + dynstrAt);
        setValue(DynamicEntry.DT_STRSZ, dynstrLength);
      }

      // The new front (zeros after the shift): header, program headers, then the grown tables.
      out.copy(0, elf.header);
      out.programHeaders(headerSize, phdrs);
      if (moving.interp()) {
        out.copy(interpAt, interp);
      }
      if (note != null) {
        out.copy(noteAt, note);
      }
      if (moving.dynstr()) {
        out.strings(strings, dynstrAt, true);
        clearOldDynstr(shift);
      } else if (strings.changedInPlace()) {
        out.strings(strings, elf.dynstrFileOffset + shift, false);
      }
      if (elf.hasDynamicSection()) {
        out.dynamic(elf.dynamicSegment.offset + shift, dyn, elf.dynamicSlots);
      }
      if (!moving.interp() && interp != null) {
        placeInterpreterInPlace(elf.interpSegment.offset + shift);
      }
      clearStaleNote(shift);

      for (int i = 0; i < sections.size(); i++) {
        SectionHeader s = sections.get(i);
        if (moving.dynstr() && holdsDynstr(s, elf.dynstrFileOffset)) {
          sections.set(i, s.at(dynstrAt, base + dynstrAt, dynstrLength));
        } else if (moving.interp() && s.name.equals(".interp")) {
          sections.set(i, s.at(interpAt, base + interpAt, interp.length));
        } else if (movesWithFile(i, s)) {
          sections.set(i, s.movedBy(shift, 0));
        }
      }
      if (note != null) {
        addNoteSection(base + noteAt, noteAt);
        placeSectionHeaderTable(elf.fileSize + shift);
      } else if (!sections.isEmpty()) {
        out.sectionHeaders(elf.shoff + shift, sections, null, -1);
      }
    }

    /** Section alignment kept when a block of sections moves: 64 covers every table in it. */
    private static final long BLOCK_ALIGN = 64;

    /**
     * patchelf's executable layout: the sections between the program header table and .dynstr move
     * down with it to right after the ELF header and the grown program header table, and the grown
     * .dynstr ends where the old one ended plus {@code shift}; the file grows by that shift (a
     * page, when .dynstr grows by less). Returns false, having planned nothing, when those sections
     * cannot move.
     */
    private boolean shiftWithBlock(long page) throws BinaryFormatException {
      ProgramHeader first = headerSegment();
      long dynstrEnd = elf.dynstrFileOffset + elf.dynstr.length;
      if (elf.dynstrFileOffset < 0 || dynstrEnd > first.filesz || dynstrShared()) {
        return false;
      }
      Block block = Block.beforeDynstr(elf, phdrs, elf.dynstrFileOffset);
      if (block == null) {
        return false;
      }
      int headerSize = elf.header.length;
      int tableSize = phdrs.size() * c.programHeaderSize();
      long tableEnd = headerSize + (long) tableSize;
      long blockAt = tableEnd + Math.floorMod(block.start - tableEnd, BLOCK_ALIGN);
      long dynstrAt = blockAt + (block.end - block.start);
      long dynstrLength = strings.length();
      long end = dynstrAt + dynstrLength;
      long noteAt = -1;
      if (note != null) {
        noteAt = alignUp(end, ResolutionCache.NOTE_ALIGN);
        end = noteAt + note.length;
      }
      long shift = Math.max(alignUp(end - dynstrEnd, page), page);
      if (Long.compareUnsigned(first.vaddr, shift) < 0) {
        return false;
      }
      long base = first.vaddr - shift;
      long moveOffset = blockAt - block.start;
      long blockVaddr = first.vaddr + block.start;
      long moveVaddr = base + blockAt - blockVaddr;
      out.shift(shift);
      out.extendTo(elf.fileSize + shift);

      for (int i = 0; i < phdrs.size(); i++) {
        ProgramHeader p = phdrs.get(i);
        boolean inBlock =
            p.type != ProgramHeader.PT_LOAD
                && p.type != ProgramHeader.PT_PHDR
                && p.filesz > 0
                && p.offset >= block.start
                && p.offset + p.filesz <= block.end;
        if (p == first) {
          phdrs.set(i, p.extendedDown(shift, base));
        } else if (p.type == ProgramHeader.PT_PHDR) {
          phdrs.set(i, p.placed(headerSize, base + headerSize, tableSize));
        } else if (p == notePhdr) {
          phdrs.set(i, notePhdr = p.placed(noteAt, base + noteAt, note.length));
        } else if (inBlock) {
          phdrs.set(i, p.movedBy(moveOffset, moveVaddr));
        } else if (p.offset != 0 || p.filesz != 0) {
          phdrs.set(i, p.movedBy(shift, 0));
        }
      }
      for (int i = 0; i < dyn.size(); i++) {
        DynamicEntry e = dyn.get(i);
        if (isAddressTag(e.tag())
            && e.value() >= blockVaddr
            && e.value() < blockVaddr + (block.end - block.start)) {
          dyn.set(i, new DynamicEntry(e.tag(), e.value() + moveVaddr));
        }
      }
      setValue(DynamicEntry.DT_STRTAB, base + dynstrAt);
      setValue(DynamicEntry.DT_STRSZ, dynstrLength);
      movedBlock = block;
      movedBlockBy = moveOffset;

      // The new front: header, program headers, zeros up to the moved block, the grown .dynstr.
      out.copy(0, elf.header);
      out.programHeaders(headerSize, phdrs);
      if (blockAt > tableEnd) {
        out.clear(tableEnd, blockAt - tableEnd);
      }
      out.copy(blockAt, block.bytes);
      out.strings(strings, dynstrAt, true);
      if (note != null) {
        out.clear(dynstrAt + dynstrLength, noteAt - dynstrAt - dynstrLength);
        out.copy(noteAt, note);
      }
      // What is left of the old tables up to their old end is dead: no old string survives.
      if (end < dynstrEnd + shift) {
        out.clear(end, dynstrEnd + shift - end);
      }
      if (elf.hasDynamicSection()) {
        out.dynamic(elf.dynamicSegment.offset + shift, dyn, elf.dynamicSlots);
      }
      clearStaleNote(shift);

      for (int i = 0; i < sections.size(); i++) {
        SectionHeader s = sections.get(i);
        SectionHeader original = elf.sections.get(i);
        if (block.sections.contains(original)) {
          sections.set(i, s.movedBy(moveOffset, moveVaddr));
        } else if (holdsDynstr(s, elf.dynstrFileOffset)) {
          sections.set(i, s.at(dynstrAt, base + dynstrAt, dynstrLength));
        } else if (movesWithFile(i, s)) {
          sections.set(i, s.movedBy(shift, 0));
        }
      }
      if (note != null) {
        addNoteSection(base + noteAt, noteAt);
        placeSectionHeaderTable(elf.fileSize + shift);
      } else {
        out.sectionHeaders(elf.shoff + shift, sections, null, -1);
      }
      return true;
    }

    private void relocate(Moving moving) throws BinaryFormatException {
      long page = edit.pageSize() > 0 ? edit.pageSize() : elf.defaultPageSize();
      if (Long.bitCount(page) != 1) {
        throw elf.problem("page size " + page + " is not a power of two");
      }
      ProgramHeader firstLoad = null;
      long maxVaddrEnd = 0;
      int lastLoad = -1;
      for (int i = 0; i < phdrs.size(); i++) {
        ProgramHeader p = phdrs.get(i);
        if (p.type == ProgramHeader.PT_LOAD) {
          if (firstLoad == null || p.offset < firstLoad.offset) {
            firstLoad = p;
          }
          lastLoad = i;
        }
        // Above every segment's addresses, as patchelf: one that no PT_LOAD maps (PT_DYNAMIC of
        // a file whose data PT_LOAD became another type) must not end up inside the new segment
        // at another offset, where the loader (and our reader) would look for it.
        maxVaddrEnd = Math.max(maxVaddrEnd, p.vaddr + p.memsz);
      }
      if (firstLoad == null) {
        throw elf.problem("has no PT_LOAD segment, so there is nowhere to map a grown table");
      }
      // Keep the new segment's (vaddr - offset) equal to the first segment's: kernels without
      // PT_PHDR support compute the program header address as first segment + e_phoff.
      long delta = firstLoad.vaddr - firstLoad.offset;
      long offset = alignUp(Math.max(elf.fileSize, maxVaddrEnd - delta), page);
      long vaddr = Math.floorMod(delta, page) == 0 ? offset + delta : alignUp(maxVaddrEnd, page);
      if (offset - elf.fileSize > MAX_FILE_HOLE) {
        // Segments far apart in memory (ia64 puts data at 0x6000..., text at 0x4000...) or a huge
        // .bss: keeping the delta would grow the file by that distance. Place it as patchelf does.
        offset = alignUp(elf.fileSize, page);
        vaddr = alignUp(maxVaddrEnd, page);
      }

      if (!c.is64 && (vaddr > ELF32_LIMIT || offset > ELF32_LIMIT)) {
        throw elf.problem(
            "the grown tables would go at address 0x"
                + Long.toHexString(vaddr)
                + ", past the 4 GiB an ELF32 file can address");
      }

      // The program header table grows by one entry where it is, like patchelf does: the
      // sections right after it (.interp, notes, hash and symbol tables...) move as one block.
      Block block = Block.find(elf, phdrs, firstLoad);
      boolean phdrsInPlace = block != null;
      if (phdrsInPlace) {
        // The table stays where the loader finds it, so the new segment needs no particular
        // distance to the first one: right after the file's end, at an address congruent to it
        // (not after .bss as well, which would add its size to the file).
        offset = alignUp(elf.fileSize, 16);
        vaddr = alignUp(maxVaddrEnd, page) + (offset & (page - 1));
      }
      int phdrTableSize = (phdrs.size() + 1) * c.programHeaderSize();
      long cursor;
      long blockAt = -1;
      if (phdrsInPlace) {
        blockAt = block.start & (page - 1);
        cursor = blockAt + (block.end - block.start);
      } else {
        cursor = phdrTableSize;
      }
      cursor = alignUp(cursor, 16);
      int entrySize = c.dynamicEntrySize();
      long dynamicAt = -1;
      int dynamicSlots = elf.dynamicSlots;
      if (moving.dynamic()) {
        dynamicAt = cursor;
        dynamicSlots = dyn.size() + 1 + SPARE_DYNAMIC_SLOTS;
        cursor = alignUp(cursor + (long) dynamicSlots * entrySize, 16);
      }
      long interpAt = -1;
      if (moving.interp()) {
        interpAt = cursor;
        cursor += interp.length;
      }
      long noteAt = -1;
      if (note != null) {
        noteAt = alignUp(cursor, ResolutionCache.NOTE_ALIGN);
        cursor = noteAt + note.length;
      }
      // The string table goes last and straight from its arrays into the plan: megabytes in a
      // large program, which copies would push through the garbage collector of a -Xmx64m CLI.
      long headSize = cursor;
      long dynstrAt = -1;
      long dynstrLength = 0;
      if (moving.dynstr()) {
        dynstrAt = cursor;
        dynstrLength = strings.length();
        cursor += dynstrLength;
      }
      long regionSize = cursor;
      if (!c.is64 && (vaddr + regionSize > ELF32_LIMIT || offset + regionSize > ELF32_LIMIT)) {
        throw elf.problem(
            "the grown tables ("
                + regionSize
                + " bytes at address 0x"
                + Long.toHexString(vaddr)
                + ") would pass the 4 GiB an ELF32 file can address");
      }
      // The new segment starts past the end of the input: its bytes are zeros until placed.
      out.extendTo(offset + regionSize);
      if (moving.dynstr()) {
        // The old table is dead once DT_STRTAB points elsewhere; clearing it keeps one copy of
        // each string in the file. Later writes (the grown program header table) override this.
        clearOldDynstr(0);
      }

      // Where the old bytes of in-place structures now live.
      long dynstrHome = elf.dynstrFileOffset;
      long dynamicHome = elf.hasDynamicSection() ? elf.dynamicSegment.offset : -1;
      long interpHome = elf.interpSegment == null ? -1 : elf.interpSegment.offset;
      if (phdrsInPlace) {
        long moveOffset = offset + blockAt - block.start;
        long moveVaddr = vaddr + blockAt - block.startVaddr;
        out.copy(offset + blockAt, block.bytes);
        for (int i = 0; i < phdrs.size(); i++) {
          ProgramHeader p = phdrs.get(i);
          if (p.type != ProgramHeader.PT_LOAD
              && p.type != ProgramHeader.PT_PHDR
              && p.filesz > 0
              && p.offset >= block.start
              && p.offset + p.filesz <= block.end) {
            ProgramHeader moved = p.movedBy(moveOffset, moveVaddr);
            phdrs.set(i, moved);
            if (p == notePhdr) {
              notePhdr = moved;
            }
          }
        }
        for (int i = 0; i < dyn.size(); i++) {
          DynamicEntry e = dyn.get(i);
          if (isAddressTag(e.tag())
              && e.value() >= block.startVaddr
              && e.value() < block.startVaddr + (block.end - block.start)) {
            dyn.set(i, new DynamicEntry(e.tag(), e.value() + moveVaddr));
          }
        }
        for (SectionHeader moved : block.sections) {
          int index = elf.sections.indexOf(moved);
          SectionHeader s = sections.get(index);
          sections.set(index, s.movedBy(moveOffset, s.addr != 0 ? moveVaddr : 0));
        }
        dynstrHome = shifted(dynstrHome, block, moveOffset);
        dynamicHome = shifted(dynamicHome, block, moveOffset);
        interpHome = shifted(interpHome, block, moveOffset);
        movedBlock = block;
        movedBlockBy = moveOffset;
      }
      if (moving.dynstr()) {
        setValue(DynamicEntry.DT_STRTAB, vaddr + dynstrAt);
        setValue(DynamicEntry.DT_STRSZ, dynstrLength);
      }

      ProgramHeader load =
          new ProgramHeader(
              ProgramHeader.PT_LOAD,
              ProgramHeader.PF_R | (moving.dynamic() ? ProgramHeader.PF_W : 0),
              offset,
              vaddr,
              vaddr,
              regionSize,
              regionSize,
              page);
      for (int i = 0; i < phdrs.size(); i++) {
        ProgramHeader p = phdrs.get(i);
        if (p.type == ProgramHeader.PT_PHDR) {
          phdrs.set(
              i, phdrsInPlace ? p.withSize(phdrTableSize) : p.placed(offset, vaddr, phdrTableSize));
        } else if (p.type == ProgramHeader.PT_DYNAMIC && moving.dynamic()) {
          phdrs.set(
              i, p.placed(offset + dynamicAt, vaddr + dynamicAt, (long) dynamicSlots * entrySize));
        } else if (p.type == ProgramHeader.PT_INTERP && moving.interp()) {
          phdrs.set(i, p.placed(offset + interpAt, vaddr + interpAt, interp.length));
        } else if (p == notePhdr) {
          phdrs.set(i, notePhdr = p.placed(offset + noteAt, vaddr + noteAt, note.length));
        }
      }
      phdrs.add(lastLoad + 1, load);
      out.programHeaders(phdrsInPlace ? elf.phoff : offset, phdrs);
      if (moving.dynamic()) {
        out.dynamic(offset + dynamicAt, dyn, dynamicSlots);
      }
      if (moving.interp()) {
        out.copy(offset + interpAt, interp);
      }
      if (note != null) {
        out.copy(offset + noteAt, note);
      }
      if (moving.dynstr()) {
        out.strings(strings, offset + dynstrAt, true);
      }
      // In-place updates land on the moved copies: the writer places tables after copies.
      if (!moving.dynstr() && strings.changedInPlace()) {
        out.strings(strings, dynstrHome, false);
      }
      if (!moving.dynamic() && elf.hasDynamicSection()) {
        out.dynamic(dynamicHome, dyn, elf.dynamicSlots);
      }
      if (!moving.interp() && interp != null) {
        placeInterpreterInPlace(interpHome);
      }
      for (int i = 0; i < sections.size(); i++) {
        SectionHeader s = sections.get(i);
        if (moving.dynstr() && holdsDynstr(s, dynstrHome)) {
          sections.set(i, s.at(offset + dynstrAt, vaddr + dynstrAt, dynstrLength));
        } else if (moving.dynamic() && s.type == SectionHeader.SHT_DYNAMIC) {
          sections.set(
              i, s.at(offset + dynamicAt, vaddr + dynamicAt, (long) dynamicSlots * entrySize));
        } else if (moving.interp() && s.name.equals(".interp")) {
          sections.set(i, s.at(offset + interpAt, vaddr + interpAt, interp.length));
        }
      }
      if (note != null) {
        addNoteSection(vaddr + noteAt, offset + noteAt);
      }
      placeSectionHeaderTable(offset + regionSize);
    }

    /**
     * Clears the old {@code .dynstr} (at {@code shift} past where it was) once the grown one is
     * placed elsewhere, unless another section shares its bytes (DT_STRSZ reaching into
     * .gnu.version, say): those stay as they are.
     */
    private void clearOldDynstr(long shift) {
      if (!dynstrShared()) {
        out.clear(elf.dynstrFileOffset + shift, elf.dynstr.length);
      }
    }

    /** Whether a section other than {@code .dynstr} has bytes where DT_STRTAB and DT_STRSZ say. */
    private boolean dynstrShared() {
      long end = elf.dynstrFileOffset + elf.dynstr.length;
      for (SectionHeader s : elf.sections) {
        boolean hasBytes =
            s.size > 0 && s.type != SectionHeader.SHT_NULL && s.type != SectionHeader.SHT_NOBITS;
        if (hasBytes
            && !holdsDynstr(s, elf.dynstrFileOffset)
            && s.offset < end
            && s.offset + s.size > elf.dynstrFileOffset) {
          return true;
        }
      }
      return false;
    }

    /**
     * Whether section {@code s} holds the dynamic string table found at {@code home}: the one with
     * bytes there, whatever its type says, SHT_NULL included (readers reach it through .dynsym's
     * and .dynamic's sh_link, not by type; left behind, it would name the cleared old bytes).
     */
    private static boolean holdsDynstr(SectionHeader s, long home) {
      return s.offset == home && s.size > 0 && s.type != SectionHeader.SHT_NOBITS;
    }

    /**
     * Whether a section's bytes move when the file's contents shift: every section that has any,
     * and the section name table, .dynstr and the dynamic table even when their type says SHT_NULL
     * (readers find them through e_shstrndx, sh_link and the name .dynamic, whatever their type;
     * readelf -d reads the section rather than PT_DYNAMIC).
     */
    private boolean movesWithFile(int index, SectionHeader s) {
      return s.type != 0
          || index != 0 && index == elf.shstrndx
          || holdsDynstr(s, elf.dynstrFileOffset)
          || index != 0 && holdsDynamic(s);
    }

    /** Whether section {@code s} has its bytes where PT_DYNAMIC points, whatever its type. */
    private boolean holdsDynamic(SectionHeader s) {
      return elf.dynamicSegment != null
          && s.offset == elf.dynamicSegment.offset
          && s.size > 0
          && s.type != SectionHeader.SHT_NOBITS;
    }

    /**
     * The bytes a new interpreter path may take where the old one is: PT_INTERP's, and no more than
     * the {@code .interp} section holds (readers such as patchelf and ours read the section), none
     * when the section is somewhere else than the segment.
     */
    private long interpreterRoom() {
      long room = elf.interpSegment.filesz;
      for (SectionHeader s : elf.sections) {
        if (s.name.equals(".interp") && s.type != SectionHeader.SHT_NOBITS) {
          return s.offset == elf.interpSegment.offset ? Math.min(room, s.size) : 0;
        }
      }
      return room;
    }

    private void placeInterpreterInPlace(long at) {
      byte[] padded = new byte[(int) elf.interpSegment.filesz];
      System.arraycopy(interp, 0, padded, 0, interp.length);
      out.copy(at, padded);
    }

    private void addNoteSection(long addr, long offset) {
      sections.add(
          new SectionHeader(
              elf.sectionNames.length,
              ResolutionCache.SECTION,
              SectionHeader.SHT_NOTE,
              SectionHeader.SHF_ALLOC,
              addr,
              offset,
              note.length,
              0,
              0,
              ResolutionCache.NOTE_ALIGN,
              0));
    }

    /**
     * Places the section headers (and, with a new section, the grown name table) after {@code end},
     * so the table stays last in the file as linkers and patchelf leave it; the old table's bytes
     * are dead from then on.
     */
    private void placeSectionHeaderTable(long end) {
      if (sections.isEmpty()) {
        return;
      }
      long at = alignUp(end, c.wordSize());
      byte[] names = null;
      long namesAt = -1;
      if (note != null) {
        byte[] name = RawString.bytes(ResolutionCache.SECTION + "\0");
        names = java.util.Arrays.copyOf(elf.sectionNames, elf.sectionNames.length + name.length);
        System.arraycopy(name, 0, names, elf.sectionNames.length, name.length);
        SectionHeader table = sections.get(elf.shstrndx);
        sections.set(elf.shstrndx, table.at(at, table.addr, names.length));
        namesAt = at;
        at = alignUp(at + names.length, c.wordSize());
      }
      out.sectionHeaders(at, sections, names, namesAt);
    }

    private static long shifted(long fileOffset, Block block, long moveOffset) {
      return fileOffset >= block.start && fileOffset < block.end
          ? fileOffset + moveOffset
          : fileOffset;
    }

    private void setValue(long tag, long value) {
      for (int i = 0; i < dyn.size(); i++) {
        if (dyn.get(i).tag() == tag) {
          dyn.set(i, new DynamicEntry(tag, value));
        }
      }
    }

    private static long alignUp(long value, long alignment) {
      return (value + alignment - 1) & -alignment;
    }
  }
}
