package dev.pbstoolchain.binarypatcher.elf;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.io.AtomicPatcher;
import dev.pbstoolchain.binarypatcher.io.PatchPlan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies an {@link ElfEdit}. Strings that fit are written in place; otherwise the grown {@code
 * .dynstr} (and the dynamic section or interpreter when they must grow too) go into a new PT_LOAD
 * segment at the end of the file, together with a copy of the program header table that lists it.
 * Nothing else moves, so no other address in the file changes.
 */
public final class ElfEditor {

  /** Spare entries left in a relocated dynamic section so later edits fit in place. */
  private static final int SPARE_DYNAMIC_SLOTS = 4;

  /** The most a new segment may leave unused between the old end of file and itself. */
  private static final long MAX_FILE_HOLE = 1L << 20;

  /** Dynamic tags whose value is an address ({@code d_ptr}), which must follow moved sections. */
  private static final Set<Long> ADDRESS_TAGS =
      Set.of(
          3L,
          4L,
          5L,
          6L,
          7L,
          12L,
          13L,
          17L,
          23L,
          25L,
          26L,
          32L,
          34L,
          36L,
          0x6ffffef5L,
          0x6ffffef6L,
          0x6ffffef7L,
          0x6ffffef8L,
          0x6ffffef9L,
          0x6ffffefaL,
          0x6ffffefbL,
          0x6ffffefcL,
          0x6ffffefdL,
          0x6ffffefeL,
          0x6ffffeffL,
          0x6ffffff0L,
          0x6ffffffcL,
          0x6ffffffeL,
          0x70000006L,
          0x70000008L,
          0x70000016L);

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
    PatchPlan plan = plan(elf, edit);
    Path output = edit.output() == null ? input : edit.output();
    if (plan.isEmpty() && output.equals(input)) {
      return input;
    }
    try {
      AtomicPatcher.apply(input, output, plan);
    } catch (IOException e) {
      throw new BinaryFormatException(
          input, "cannot write " + output + ": " + e.getMessage() + "; the input is unchanged", e);
    }
    return output;
  }

  static PatchPlan plan(ElfFile elf, ElfEdit edit) throws BinaryFormatException {
    if (edit.touchesDynamic() && !elf.hasDynamicSection()) {
      throw elf.problem(
          "has no dynamic section (no PT_DYNAMIC program header): it is statically linked, so"
              + " there is no RUNPATH, NEEDED or SONAME to edit");
    }
    if (edit.setInterpreter() != null && elf.interpSegment == null) {
      throw elf.problem(
          "has no PT_INTERP program header (a shared library or a static executable), so there"
              + " is no interpreter to set");
    }
    return new Planner(elf, edit).plan();
  }

  private static final class Planner {
    private final ElfFile elf;
    private final ElfEdit edit;
    private final ElfCodec c;
    private final StringTable strings;
    private final List<DynamicEntry> dyn;

    /** Writes into sections that may move with the block after the program header table. */
    private final List<PendingWrite> pendingWrites = new ArrayList<>();

    private final List<ProgramHeader> phdrs = new ArrayList<>();

    private final PatchPlan plan = new PatchPlan();

    Planner(ElfFile elf, ElfEdit edit) {
      this.elf = elf;
      this.edit = edit;
      this.c = elf.codec;
      this.strings = new StringTable(elf.dynstr);
      this.dyn = new ArrayList<>(elf.dynamic);
      for (ProgramHeader p : elf.programHeaders) {
        phdrs.add(p.copy());
      }
    }

    PatchPlan plan() throws BinaryFormatException {
      editNeeded();
      editSoname();
      editRunpath();
      editFlags();
      if (!edit.renameDynamicSymbols().isEmpty() || !edit.clearSymbolVersion().isEmpty()) {
        pendingWrites.addAll(
            new DynamicSymbols(elf, strings)
                .edit(edit.renameDynamicSymbols(), edit.clearSymbolVersion()));
      }
      editHeader();
      boolean phdrAdded = editExecutableStack();
      byte[] interp = null;
      boolean moveInterp = false;
      if (edit.setInterpreter() != null && !edit.setInterpreter().equals(elf.interpreter)) {
        interp = (edit.setInterpreter() + "\0").getBytes(StandardCharsets.UTF_8);
        moveInterp = interp.length > elf.interpSegment.filesz;
      }
      boolean moveDynstr = strings.grew();
      boolean moveDynamic = elf.hasDynamicSection() && dyn.size() + 1 > elf.dynamicSlots;
      boolean dynamicChanged = !dyn.equals(elf.dynamic);
      if (moveDynstr || moveDynamic || moveInterp || phdrAdded) {
        relocate(moveDynstr, moveDynamic, interp, moveInterp);
      } else {
        for (int i = 0; i < phdrs.size(); i++) {
          if (phdrs.get(i).flags != elf.programHeaders.get(i).flags) {
            ByteBuffer b = c.allocate(c.programHeaderSize());
            phdrs.get(i).writeTo(c, b, 0);
            plan.write(elf.phoff + (long) i * elf.phentsize, b.array());
          }
        }
        if (dynamicChanged) {
          plan.write(elf.dynamicSegment.offset, dynamicBytes(elf.dynamicSlots));
        }
        if (strings.changedInPlace()) {
          plan.writeOwned(elf.dynstrFileOffset, strings.inPlaceBytes());
        }
        if (interp != null) {
          byte[] padded = new byte[(int) elf.interpSegment.filesz];
          System.arraycopy(interp, 0, padded, 0, interp.length);
          plan.write(elf.interpSegment.offset, padded);
        }
      }
      for (PendingWrite w : pendingWrites) {
        plan.writeOwned(w.offset, w.bytes);
      }
      return plan;
    }

    private void editNeeded() throws BinaryFormatException {
      if (!edit.replaceNeeded().isEmpty()) {
        for (int i = 0; i < dyn.size(); i++) {
          DynamicEntry e = dyn.get(i);
          if (e.tag() == DynamicEntry.DT_NEEDED) {
            String replacement = edit.replaceNeeded().get(elf.string(e.value()));
            if (replacement != null) {
              dyn.set(i, new DynamicEntry(e.tag(), strings.offsetOf(replacement)));
            }
          }
        }
        for (VersionNeed need : elf.versionNeeds) {
          String replacement = edit.replaceNeeded().get(need.file());
          if (replacement != null) {
            ByteBuffer file = c.allocate(4);
            file.putInt(0, (int) strings.offsetOf(replacement));
            pendingWrites.add(new PendingWrite(need.fileFieldOffset(), file.array()));
          }
        }
      }
      if (!edit.removeNeeded().isEmpty()) {
        List<DynamicEntry> kept = new ArrayList<>();
        for (DynamicEntry e : dyn) {
          if (e.tag() != DynamicEntry.DT_NEEDED || !edit.removeNeeded().contains(name(e))) {
            kept.add(e);
          }
        }
        dyn.clear();
        dyn.addAll(kept);
      }
      if (edit.addNeeded().isEmpty()) {
        return;
      }
      Set<String> present = new HashSet<>();
      for (DynamicEntry e : dyn) {
        if (e.tag() == DynamicEntry.DT_NEEDED) {
          present.add(name(e));
        }
      }
      List<DynamicEntry> added = new ArrayList<>();
      for (String lib : edit.addNeeded()) {
        if (present.add(lib)) {
          added.add(new DynamicEntry(DynamicEntry.DT_NEEDED, strings.offsetOf(lib)));
        }
      }
      dyn.addAll(0, added);
    }

    /** --no-default-lib and --add-debug-tag, in patchelf's order. */
    private void editFlags() {
      if (edit.noDefaultLib()) {
        int flags = indexOf(DynamicEntry.DT_FLAGS_1);
        if (flags < 0) {
          dyn.add(0, new DynamicEntry(DynamicEntry.DT_FLAGS_1, DynamicEntry.DF_1_NODEFLIB));
        } else {
          long value = dyn.get(flags).value() | DynamicEntry.DF_1_NODEFLIB;
          dyn.set(flags, new DynamicEntry(DynamicEntry.DT_FLAGS_1, value));
        }
      }
      if (edit.addDebugTag() && indexOf(DynamicEntry.DT_DEBUG) < 0) {
        dyn.add(0, new DynamicEntry(DynamicEntry.DT_DEBUG, 0));
      }
    }

    private void editHeader() {
      if (edit.osAbi() >= 0 && edit.osAbi() != elf.osAbi) {
        pendingWrites.add(new PendingWrite(7, new byte[] {(byte) edit.osAbi()}));
      }
    }

    /**
     * Sets or clears PF_X of PT_GNU_STACK; without that header, adds one (the table then grows).
     * Returns whether a header was added.
     */
    private boolean editExecutableStack() {
      if (edit.executableStack() == null) {
        return false;
      }
      boolean executable = edit.executableStack();
      for (ProgramHeader p : phdrs) {
        if (p.type == ProgramHeader.PT_GNU_STACK) {
          p.flags = executable ? p.flags | ProgramHeader.PF_X : p.flags & ~ProgramHeader.PF_X;
          return false;
        }
      }
      ProgramHeader stack = new ProgramHeader();
      stack.type = ProgramHeader.PT_GNU_STACK;
      stack.flags = ProgramHeader.PF_R | ProgramHeader.PF_W | (executable ? ProgramHeader.PF_X : 0);
      stack.align = 1;
      phdrs.add(stack);
      return true;
    }

    private String name(DynamicEntry e) throws BinaryFormatException {
      // Strings appended during this edit are not in the original table: resolve both.
      if (e.value() < 0 || e.value() >= strings.length()) {
        throw elf.problem("DT_NEEDED string offset " + e.value() + " lies outside .dynstr");
      }
      return strings.stringAt(e.value());
    }

    private void editSoname() {
      if (edit.setSoname() == null) {
        return;
      }
      long offset = strings.offsetOf(edit.setSoname());
      for (int i = 0; i < dyn.size(); i++) {
        if (dyn.get(i).tag() == DynamicEntry.DT_SONAME) {
          dyn.set(i, new DynamicEntry(DynamicEntry.DT_SONAME, offset));
          return;
        }
      }
      dyn.add(new DynamicEntry(DynamicEntry.DT_SONAME, offset));
    }

    private void editRunpath() throws BinaryFormatException {
      if (!edit.touchesRunpath()) {
        return;
      }
      int existing = indexOf(DynamicEntry.DT_RUNPATH);
      if (existing < 0) {
        existing = indexOf(DynamicEntry.DT_RPATH);
      }
      String current = existing < 0 ? null : elf.string(dyn.get(existing).value());
      if (edit.removeRunpath()) {
        dyn.removeIf(e -> e.tag() == DynamicEntry.DT_RUNPATH || e.tag() == DynamicEntry.DT_RPATH);
        existing = -1;
        current = null;
      }
      String target = edit.setRunpath() != null ? edit.setRunpath() : current;
      if (edit.shrinkRunpath() && target != null) {
        target = shrink(target);
      }
      for (String extra : edit.addRunpath()) {
        target = target == null || target.isEmpty() ? extra : target + ":" + extra;
      }
      if (target == null) {
        return;
      }
      long tag = edit.forceRpath() ? DynamicEntry.DT_RPATH : DynamicEntry.DT_RUNPATH;
      if (existing >= 0) {
        long offset = dyn.get(existing).value();
        if (!target.equals(current)) {
          boolean shared = sharedString(offset, current);
          if (shared || !strings.overwrite(offset, target)) {
            long old = offset;
            offset = strings.offsetOf(target);
            if (!shared && offset != old) {
              // As patchelf: the dead old path (often a build directory) leaves no trace.
              strings.overwrite(old, "X".repeat(current.getBytes(StandardCharsets.UTF_8).length));
            }
          }
        }
        dyn.set(existing, new DynamicEntry(tag, offset));
        for (int i = dyn.size() - 1; i >= 0; i--) {
          long t = dyn.get(i).tag();
          if (i != existing && (t == DynamicEntry.DT_RUNPATH || t == DynamicEntry.DT_RPATH)) {
            dyn.remove(i);
          }
        }
      } else {
        dyn.add(new DynamicEntry(tag, strings.offsetOf(target)));
      }
    }

    /** patchelf's --shrink-rpath: keep the entries where a still-missing NEEDED library is. */
    private String shrink(String runpath) throws BinaryFormatException {
      java.util.Set<String> missing = new java.util.LinkedHashSet<>(elf.needed());
      List<String> kept = new ArrayList<>();
      for (String entry : runpath.split(":")) {
        if (entry.isEmpty()) {
          continue;
        }
        if (!entry.startsWith("/")) {
          kept.add(entry);
          continue;
        }
        if (!edit.allowedRpathPrefixes().isEmpty()
            && edit.allowedRpathPrefixes().stream().noneMatch(entry::startsWith)) {
          continue;
        }
        boolean useful = false;
        for (java.util.Iterator<String> it = missing.iterator(); it.hasNext(); ) {
          if (java.nio.file.Files.exists(java.nio.file.Path.of(entry, it.next()))) {
            it.remove();
            useful = true;
          }
        }
        if (useful) {
          kept.add(entry);
        }
      }
      return String.join(":", kept);
    }

    /**
     * Whether anything else points into the bytes of the string at {@code offset}: another dynamic
     * entry, a version entry or a symbol name (linkers merge string tails, so "a_symbol_name" can
     * hold "name"). Without section headers the symbols cannot be listed, so assume it is shared.
     */
    private boolean sharedString(long offset, String value) throws BinaryFormatException {
      long end = offset + value.getBytes(StandardCharsets.UTF_8).length;
      int users = 0;
      for (DynamicEntry e : elf.dynamic) {
        long t = e.tag();
        boolean stringTag =
            t == DynamicEntry.DT_NEEDED
                || t == DynamicEntry.DT_SONAME
                || t == DynamicEntry.DT_RPATH
                || t == DynamicEntry.DT_RUNPATH;
        if (stringTag && e.value() >= offset && e.value() <= end) {
          users++;
        }
      }
      if (users > 1) {
        return true;
      }
      // Version entries name strings by offset too; a tail of this string may be one of them.
      for (VersionNeed need : elf.versionNeeds) {
        if (value.endsWith(need.file())) {
          return true;
        }
        for (String version : need.versions()) {
          if (value.endsWith(version)) {
            return true;
          }
        }
      }
      SectionHeader dynsym = elf.section(SectionHeader.SHT_DYNSYM);
      if (dynsym == null) {
        return true;
      }
      return elf.symbolNameWithin(dynsym, offset, end);
    }

    private int indexOf(long tag) {
      for (int i = 0; i < dyn.size(); i++) {
        if (dyn.get(i).tag() == tag) {
          return i;
        }
      }
      return -1;
    }

    private byte[] dynamicBytes(int slots) {
      int size = c.dynamicEntrySize();
      ByteBuffer b = c.allocate(slots * size);
      for (int i = 0; i < dyn.size(); i++) {
        c.putWord(b, i * size, dyn.get(i).tag());
        c.putWord(b, i * size + c.wordSize(), dyn.get(i).value());
      }
      return b.array();
    }

    private void relocate(
        boolean moveDynstr, boolean moveDynamic, byte[] interp, boolean moveInterp)
        throws BinaryFormatException {
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
          maxVaddrEnd = Math.max(maxVaddrEnd, p.vaddr + p.memsz);
          lastLoad = i;
        }
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

      // The program header table grows by one entry where it is, like patchelf does: the
      // sections right after it (.interp, notes, hash and symbol tables...) move as one block.
      Block block = Block.find(elf, phdrs, firstLoad);
      boolean phdrsInPlace = block != null;
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
      if (moveDynamic) {
        dynamicAt = cursor;
        dynamicSlots = dyn.size() + 1 + SPARE_DYNAMIC_SLOTS;
        cursor = alignUp(cursor + (long) dynamicSlots * entrySize, 16);
      }
      long interpAt = -1;
      if (moveInterp) {
        interpAt = cursor;
        cursor += interp.length;
      }
      // The string table goes last and straight from its arrays into the plan: megabytes in a
      // large program, which copies would push through the garbage collector of a -Xmx64m CLI.
      long headSize = cursor;
      long dynstrAt = -1;
      long dynstrLength = 0;
      if (moveDynstr) {
        dynstrAt = cursor;
        dynstrLength = strings.length();
        cursor += dynstrLength;
      }
      long regionSize = cursor;
      ByteBuffer region = c.allocate((int) headSize);
      if (moveDynstr) {
        // The old table is dead once DT_STRTAB points elsewhere; clearing it keeps one copy of
        // each string in the file. Later writes (the grown program header table) override this.
        plan.zero(elf.dynstrFileOffset, elf.dynstr.length);
      }

      // Where the old bytes of in-place structures now live.
      long dynstrHome = elf.dynstrFileOffset;
      long dynamicHome = elf.hasDynamicSection() ? elf.dynamicSegment.offset : -1;
      long interpHome = elf.interpSegment == null ? -1 : elf.interpSegment.offset;
      if (phdrsInPlace) {
        long moveOffset = offset + blockAt - block.start;
        long moveVaddr = vaddr + blockAt - block.startVaddr;
        region.put((int) blockAt, block.bytes);
        for (ProgramHeader p : phdrs) {
          if (p.type != ProgramHeader.PT_LOAD
              && p.type != ProgramHeader.PT_PHDR
              && p.filesz > 0
              && p.offset >= block.start
              && p.offset + p.filesz <= block.end) {
            p.offset += moveOffset;
            p.vaddr += moveVaddr;
            p.paddr += moveVaddr;
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
        for (SectionHeader s : block.sections) {
          s.offset += moveOffset;
          if (s.addr != 0) {
            s.addr += moveVaddr;
          }
        }
        dynstrHome = shifted(dynstrHome, block, moveOffset);
        dynamicHome = shifted(dynamicHome, block, moveOffset);
        interpHome = shifted(interpHome, block, moveOffset);
        for (PendingWrite w : pendingWrites) {
          w.offset = shifted(w.offset, block, moveOffset);
        }
      }
      if (moveDynstr) {
        setValue(DynamicEntry.DT_STRTAB, vaddr + dynstrAt);
        setValue(DynamicEntry.DT_STRSZ, dynstrLength);
      }

      ProgramHeader load = new ProgramHeader();
      load.type = ProgramHeader.PT_LOAD;
      load.flags = ProgramHeader.PF_R | (moveDynamic ? ProgramHeader.PF_W : 0);
      load.offset = offset;
      load.vaddr = vaddr;
      load.paddr = vaddr;
      load.filesz = regionSize;
      load.memsz = regionSize;
      load.align = page;
      long phoff = elf.phoff;
      for (ProgramHeader p : phdrs) {
        if (p.type == ProgramHeader.PT_PHDR) {
          if (phdrsInPlace) {
            p.filesz = phdrTableSize;
            p.memsz = phdrTableSize;
          } else {
            place(p, offset, vaddr, phdrTableSize);
          }
        } else if (p.type == ProgramHeader.PT_DYNAMIC && moveDynamic) {
          place(p, offset + dynamicAt, vaddr + dynamicAt, (long) dynamicSlots * entrySize);
        } else if (p.type == ProgramHeader.PT_INTERP && moveInterp) {
          place(p, offset + interpAt, vaddr + interpAt, interp.length);
        }
      }
      phdrs.add(lastLoad + 1, load);
      ByteBuffer table = c.allocate(phdrTableSize);
      for (int i = 0; i < phdrs.size(); i++) {
        phdrs.get(i).writeTo(c, table, i * c.programHeaderSize());
      }
      if (phdrsInPlace) {
        plan.write(phoff, table.array());
      } else {
        region.put(0, table.array());
        phoff = offset;
      }

      if (moveDynamic) {
        region.put((int) dynamicAt, dynamicBytes(dynamicSlots));
      }
      if (moveInterp) {
        region.put((int) interpAt, interp);
      }
      plan.extendTo(offset + regionSize);
      plan.writeOwned(offset, region.array());
      if (moveDynstr) {
        strings.writeTo(plan, offset + dynstrAt);
      }
      // In-place updates go after the region so that they land on the moved copies.
      if (!moveDynstr && strings.changedInPlace()) {
        plan.writeOwned(dynstrHome, strings.inPlaceBytes());
      }
      if (!moveDynamic && elf.hasDynamicSection()) {
        plan.write(dynamicHome, dynamicBytes(elf.dynamicSlots));
      }
      if (!moveInterp && interp != null) {
        byte[] padded = new byte[(int) elf.interpSegment.filesz];
        System.arraycopy(interp, 0, padded, 0, interp.length);
        plan.write(interpHome, padded);
      }
      writeElfHeader(phoff, phdrs.size());
      for (int i = 0; i < elf.sections.size(); i++) {
        SectionHeader s = elf.sections.get(i);
        boolean changed = phdrsInPlace && block.sections.contains(s);
        if (moveDynstr && s.type == SectionHeader.SHT_STRTAB && s.offset == dynstrHome) {
          s.offset = offset + dynstrAt;
          s.addr = vaddr + dynstrAt;
          s.size = dynstrLength;
          changed = true;
        } else if (moveDynamic && s.type == SectionHeader.SHT_DYNAMIC) {
          s.offset = offset + dynamicAt;
          s.addr = vaddr + dynamicAt;
          s.size = (long) dynamicSlots * entrySize;
          changed = true;
        } else if (moveInterp && s.name.equals(".interp")) {
          s.offset = offset + interpAt;
          s.addr = vaddr + interpAt;
          s.size = interp.length;
          changed = true;
        }
        if (changed) {
          plan.write(elf.shoff + (long) i * elf.shentsize, s.toBytes(c));
        }
      }
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

    private static void place(ProgramHeader p, long offset, long vaddr, long size) {
      p.offset = offset;
      p.vaddr = vaddr;
      p.paddr = vaddr;
      p.filesz = size;
      p.memsz = size;
    }

    private void writeElfHeader(long phoff, int phnum) {
      int w = c.wordSize();
      ByteBuffer off = c.allocate(w);
      c.putWord(off, 0, phoff);
      plan.write(24 + w, off.array());
      ByteBuffer num = c.allocate(2);
      num.putShort(0, (short) phnum);
      plan.write(24 + 3 * w + 4 + 4, num.array());
    }

    private static long alignUp(long value, long alignment) {
      return (value + alignment - 1) & -alignment;
    }
  }
}
