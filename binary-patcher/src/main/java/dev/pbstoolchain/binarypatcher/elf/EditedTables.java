package dev.pbstoolchain.binarypatcher.elf;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The edit step: what an {@link ElfEdit} asks for, applied to copies of what {@link ElfFile} read
 * (the dynamic entries, {@code .dynstr}, the program headers) plus the bytes it puts at offsets of
 * the file as read (renamed symbols, version needs, EI_OSABI). Nothing is placed yet: the layout
 * step in {@link ElfEditor} decides where grown tables go and hands one plan to the writer. The
 * {@code ElfFile} is never changed.
 */
final class EditedTables {

  private final ElfFile elf;
  private final ElfEdit edit;

  /** {@code .dynstr} as edited: strings overwritten in place or appended. */
  final StringTable strings;

  /** The dynamic entries as edited (without the DT_NULL terminator). */
  final List<DynamicEntry> dynamic;

  /** The program headers as edited (PT_GNU_STACK flags or a new PT_GNU_STACK). */
  final List<ProgramHeader> programHeaders;

  /** Bytes for offsets of the file as read, placed by the layout. */
  final List<PendingWrite> pendingWrites = new ArrayList<>();

  /** The section headers as edited (a stale resolution cache note's emptied). */
  final List<SectionHeader> sections;

  /** The new interpreter path with its NUL, or null when it does not change. */
  byte[] interpreter;

  /** A resolution cache note to add (its bytes) and its PT_NOTE, not placed yet; or null. */
  byte[] note;

  ProgramHeader notePhdr;

  /** A cache note this edit made stale: its old place (null if none to clear), its index or -1. */
  SectionHeader staleNote;

  int staleNoteIndex = -1;

  /** What the user should hear about but does not stop the edit. */
  final List<String> warnings = new ArrayList<>();

  private boolean programHeaderAdded;

  private EditedTables(ElfFile elf, ElfEdit edit) {
    this.elf = elf;
    this.edit = edit;
    this.strings = new StringTable(elf.dynstr);
    this.dynamic = new ArrayList<>(elf.dynamic);
    this.programHeaders = new ArrayList<>(elf.programHeaders);
    this.sections = new ArrayList<>(elf.sections);
  }

  /** Applies {@code edit}'s table edits, in patchelf's order, to copies of {@code elf}'s tables. */
  static EditedTables of(ElfFile elf, ElfEdit edit) throws BinaryFormatException {
    EditedTables t = new EditedTables(elf, edit);
    t.editNeeded();
    t.editSoname();
    t.editRunpath();
    t.editFlags();
    if (!edit.renameDynamicSymbols().isEmpty() || !edit.clearSymbolVersion().isEmpty()) {
      t.pendingWrites.addAll(
          new DynamicSymbols(elf, t.strings)
              .edit(edit.renameDynamicSymbols(), edit.clearSymbolVersion()));
    }
    t.editHeader();
    t.programHeaderAdded = t.editExecutableStack();
    String newInterpreter = RawString.of(edit.setInterpreter());
    if (ElfEditor.hasInterpreterEdit(edit) && !newInterpreter.equals(elf.interpreter)) {
      t.interpreter = RawString.bytes(newInterpreter + "\0");
    }
    t.dropStaleCache();
    if (edit.buildResolutionCache()) {
      t.planResolutionCache();
    }
    return t;
  }

  /** Whether a program header was added (the table grows by one entry). */
  boolean programHeaderAdded() {
    return programHeaderAdded;
  }

  private void editNeeded() throws BinaryFormatException {
    if (!edit.replaceNeeded().isEmpty()) {
      for (int i = 0; i < dynamic.size(); i++) {
        DynamicEntry e = dynamic.get(i);
        if (e.tag() == DynamicEntry.DT_NEEDED) {
          String replacement = edit.replaceNeeded().get(elf.string(e.value()));
          if (replacement != null) {
            dynamic.set(i, new DynamicEntry(e.tag(), strings.offsetOf(replacement)));
          }
        }
      }
      for (VersionNeed need : elf.versionNeeds) {
        String replacement = edit.replaceNeeded().get(need.file());
        if (replacement != null) {
          ByteBuffer file = elf.codec.allocate(4);
          file.putInt(0, (int) strings.offsetOf(replacement));
          pendingWrites.add(
              new PendingWrite(
                  need.fileFieldOffset(), file.array(), PendingWrite.Kind.VERSION_NEED_FILE));
        }
      }
    }
    if (!edit.removeNeeded().isEmpty()) {
      List<DynamicEntry> kept = new ArrayList<>();
      for (DynamicEntry e : dynamic) {
        if (e.tag() != DynamicEntry.DT_NEEDED || !edit.removeNeeded().contains(name(e))) {
          kept.add(e);
        }
      }
      dynamic.clear();
      dynamic.addAll(kept);
    }
    if (edit.addNeeded().isEmpty()) {
      return;
    }
    Set<String> present = new HashSet<>();
    for (DynamicEntry e : dynamic) {
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
    dynamic.addAll(0, added);
  }

  /** --no-default-lib and --add-debug-tag, in patchelf's order. */
  private void editFlags() {
    if (edit.noDefaultLib()) {
      int flags = indexOf(DynamicEntry.DT_FLAGS_1);
      if (flags < 0) {
        dynamic.add(0, new DynamicEntry(DynamicEntry.DT_FLAGS_1, DynamicEntry.DF_1_NODEFLIB));
      } else {
        long value = dynamic.get(flags).value() | DynamicEntry.DF_1_NODEFLIB;
        dynamic.set(flags, new DynamicEntry(DynamicEntry.DT_FLAGS_1, value));
      }
    }
    if (edit.addDebugTag() && indexOf(DynamicEntry.DT_DEBUG) < 0) {
      dynamic.add(0, new DynamicEntry(DynamicEntry.DT_DEBUG, 0));
    }
  }

  private void editHeader() {
    if (edit.osAbi() >= 0 && edit.osAbi() != elf.osAbi) {
      pendingWrites.add(
          new PendingWrite(7, new byte[] {(byte) edit.osAbi()}, PendingWrite.Kind.OTHER));
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
    for (int i = 0; i < programHeaders.size(); i++) {
      ProgramHeader p = programHeaders.get(i);
      if (p.type == ProgramHeader.PT_GNU_STACK) {
        programHeaders.set(
            i,
            p.withFlags(executable ? p.flags | ProgramHeader.PF_X : p.flags & ~ProgramHeader.PF_X));
        return false;
      }
    }
    programHeaders.add(
        ProgramHeader.unplaced(
            ProgramHeader.PT_GNU_STACK,
            ProgramHeader.PF_R | ProgramHeader.PF_W | (executable ? ProgramHeader.PF_X : 0),
            1));
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
    for (int i = 0; i < dynamic.size(); i++) {
      if (dynamic.get(i).tag() == DynamicEntry.DT_SONAME) {
        dynamic.set(i, new DynamicEntry(DynamicEntry.DT_SONAME, offset));
        return;
      }
    }
    dynamic.add(new DynamicEntry(DynamicEntry.DT_SONAME, offset));
  }

  private void editRunpath() throws BinaryFormatException {
    if (!edit.touchesRunpath()) {
      return;
    }
    int existing = indexOf(DynamicEntry.DT_RUNPATH);
    if (existing < 0) {
      existing = indexOf(DynamicEntry.DT_RPATH);
    }
    String current = existing < 0 ? null : elf.string(dynamic.get(existing).value());
    if (edit.removeRunpath()) {
      dynamic.removeIf(e -> e.tag() == DynamicEntry.DT_RUNPATH || e.tag() == DynamicEntry.DT_RPATH);
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
      long offset = dynamic.get(existing).value();
      if (!target.equals(current)) {
        boolean shared = sharedString(offset, current);
        if (shared || !strings.overwrite(offset, target)) {
          long old = offset;
          offset = strings.offsetOf(target);
          if (!shared && offset != old) {
            // As patchelf: the dead old path (often a build directory) leaves no trace.
            strings.overwrite(old, "X".repeat(current.length()));
          }
        }
      }
      dynamic.set(existing, new DynamicEntry(tag, offset));
      for (int i = dynamic.size() - 1; i >= 0; i--) {
        long t = dynamic.get(i).tag();
        if (i != existing && (t == DynamicEntry.DT_RUNPATH || t == DynamicEntry.DT_RPATH)) {
          dynamic.remove(i);
        }
      }
    } else {
      dynamic.add(new DynamicEntry(tag, strings.offsetOf(target)));
    }
  }

  private static boolean exists(String directory, String library) {
    try {
      return java.nio.file.Files.exists(
          java.nio.file.Path.of(RawString.text(directory), RawString.text(library)));
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  /** patchelf's --shrink-rpath: keep the entries where a still-missing NEEDED library is. */
  private String shrink(String runpath) throws BinaryFormatException {
    java.util.Set<String> missing = new java.util.LinkedHashSet<>();
    for (DynamicEntry e : elf.dynamic) {
      if (e.tag() == DynamicEntry.DT_NEEDED) {
        missing.add(elf.string(e.value(), "DT_NEEDED"));
      }
    }
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
        if (exists(entry, it.next())) {
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
    long end = offset + value.length();
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
    for (int i = 0; i < dynamic.size(); i++) {
      if (dynamic.get(i).tag() == tag) {
        return i;
      }
    }
    return -1;
  }

  /** The note section's index, or -1. */
  private int cacheIndex() {
    for (int i = 0; i < sections.size(); i++) {
      if (sections.get(i).name.equals(ResolutionCache.SECTION)) {
        return i;
      }
    }
    return -1;
  }

  /** What a cache depends on: the needed names and the search path, as they end up. */
  private List<String> cacheInputs(List<DynamicEntry> entries, boolean edited)
      throws BinaryFormatException {
    List<String> inputs = new ArrayList<>();
    for (DynamicEntry e : entries) {
      long t = e.tag();
      if (t == DynamicEntry.DT_NEEDED
          || t == DynamicEntry.DT_RUNPATH
          || t == DynamicEntry.DT_RPATH) {
        inputs.add(t + "=" + (edited ? strings.stringAt(e.value()) : elf.string(e.value())));
      }
    }
    return inputs;
  }

  /**
   * A search path or needed list that changed makes an existing cache note wrong: its bytes are
   * cleared (they name paths), its PT_LOAD and PT_NOTE dropped and its section header emptied (in
   * place, so no other section's index moves).
   */
  private void dropStaleCache() throws BinaryFormatException {
    int index = cacheIndex();
    if (index < 0 || cacheInputs(elf.dynamic, false).equals(cacheInputs(dynamic, true))) {
      return;
    }
    SectionHeader old = sections.get(index);
    if (old.type != SectionHeader.SHT_NOBITS
        && old.offset >= 0
        && old.offset <= elf.fileSize
        && old.size <= elf.fileSize - old.offset) {
      staleNote = old;
    }
    programHeaders.removeIf(
        p ->
            (p.type == ProgramHeader.PT_LOAD || p.type == ProgramHeader.PT_NOTE)
                && p.offset == old.offset
                && p.filesz == old.size);
    sections.set(index, new SectionHeader());
    staleNoteIndex = index;
  }

  /** --build-resolution-cache, on the dynamic entries as this edit leaves them. */
  private void planResolutionCache() throws BinaryFormatException {
    int existing = cacheIndex();
    String stale =
        "--build-resolution-cache: a resolution cache note is already present and does not"
            + " match what the run path resolves to now; rebuild from an unpatched binary";
    if (!elf.hasDynamicSection()) {
      if (existing >= 0) {
        throw elf.problem(stale);
      }
      warnings.add(
          "warning: --build-resolution-cache: no dynamic section (statically linked?); no cache"
              + " written");
      return;
    }
    List<String> needed = new ArrayList<>();
    String runPath = null;
    String rpath = null;
    for (DynamicEntry e : dynamic) {
      if (e.tag() == DynamicEntry.DT_NEEDED) {
        needed.add(strings.stringAt(e.value()));
      } else if (e.tag() == DynamicEntry.DT_RUNPATH) {
        runPath = strings.stringAt(e.value());
      } else if (e.tag() == DynamicEntry.DT_RPATH) {
        rpath = strings.stringAt(e.value());
      }
    }
    String path = runPath != null ? runPath : rpath;
    if (needed.isEmpty() || path == null || path.isEmpty()) {
      if (existing >= 0) {
        throw elf.problem(stale);
      }
      warnings.add(
          "warning: --build-resolution-cache: no DT_NEEDED entries or run path to resolve; no"
              + " cache written");
      return;
    }
    byte[] descriptor = ResolutionCache.descriptor(needed, path);
    if (descriptor == null) {
      if (existing >= 0) {
        throw elf.problem(stale);
      }
      warnings.add(
          "warning: --build-resolution-cache: no libraries resolved against the run path; no"
              + " cache written");
      return;
    }
    if (existing >= 0) {
      SectionHeader old = sections.get(existing);
      byte[] current =
          old.size <= ElfFile.MAX_TABLE
              ? ResolutionCache.existingDescriptor(
                  elf.codec, elf.sectionBytes(old, ResolutionCache.SECTION))
              : null;
      if (java.util.Arrays.equals(current, descriptor)) {
        return; // Up to date: a harmless re-run.
      }
      throw elf.problem(stale);
    }
    note = ResolutionCache.note(elf.codec, descriptor);
    notePhdr =
        ProgramHeader.unplaced(
            ProgramHeader.PT_NOTE, ProgramHeader.PF_R, ResolutionCache.NOTE_ALIGN);
    programHeaders.add(notePhdr);
  }
}
