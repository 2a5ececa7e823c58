package dev.pbstoolchain.binarypatcher.elf;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The sections right after the program header table that must move so the table can grow in place.
 * Only sections nothing refers to by a code address may move: the interpreter path, notes, and the
 * dynamic linker's tables, which are found through program headers and dynamic tags that the editor
 * updates.
 */
final class Block {

  private static final long SHF_ALLOC = 2;
  private static final Set<String> MOVABLE =
      Set.of(
          ".interp",
          ".hash",
          ".gnu.hash",
          ".dynsym",
          ".dynstr",
          ".gnu.version",
          ".gnu.version_r",
          ".gnu.version_d",
          ".rela.dyn",
          ".rel.dyn",
          ".rela.plt",
          ".rel.plt",
          ".relr.dyn",
          ".MIPS.abiflags",
          ".reginfo",
          ".MIPS.options");

  final long start;
  final long end;
  final long startVaddr;
  final List<SectionHeader> sections;
  final byte[] bytes;

  private Block(long start, long end, long startVaddr, List<SectionHeader> sections, byte[] bytes) {
    this.start = start;
    this.end = end;
    this.startVaddr = startVaddr;
    this.sections = sections;
    this.bytes = bytes;
  }

  /** The block to move, or {@code null} when the table cannot grow in place (then it moves). */
  static Block find(ElfFile elf, List<ProgramHeader> phdrs, ProgramHeader firstLoad)
      throws BinaryFormatException {
    if (elf.sections.isEmpty()) {
      return null;
    }
    long tableEnd = elf.phoff + (long) elf.phnum * elf.phentsize;
    // Room for every header in phdrs (the edited list) plus the new PT_LOAD.
    long neededEnd = elf.phoff + (long) (phdrs.size() + 1) * elf.phentsize;
    long loadEnd = firstLoad.offset + firstLoad.filesz;
    if (elf.phoff < firstLoad.offset || neededEnd > loadEnd) {
      return null;
    }
    long start = Long.MAX_VALUE;
    long end = tableEnd;
    for (SectionHeader s : occupying(elf)) {
      if (s.offset < neededEnd && s.offset + s.size > tableEnd) {
        start = Math.min(start, s.offset);
        end = Math.max(end, s.offset + s.size);
      }
    }
    // A segment the loader reads there (PT_INTERP, a note) moves too, section or not, and so does
    // a relocation table the dynamic tags name (its section may say otherwise, or be missing).
    for (ProgramHeader p : phdrs) {
      if (isTable(p) && p.offset < neededEnd && p.offset + p.filesz > tableEnd) {
        start = Math.min(start, p.offset);
        end = Math.max(end, p.offset + p.filesz);
      }
    }
    List<Extent> relocations = DynamicRelocations.extents(elf);
    for (Extent r : relocations) {
      if (r.overlaps(tableEnd, neededEnd)) {
        start = Math.min(start, r.offset());
        end = Math.max(end, r.end());
      }
    }
    if (start == Long.MAX_VALUE) {
      return new Block(neededEnd, neededEnd, firstLoad.vaddr + neededEnd, List.of(), new byte[0]);
    }
    if (start < tableEnd) {
      return null;
    }
    boolean grown = true;
    while (grown) {
      grown = false;
      for (SectionHeader s : occupying(elf)) {
        if (s.offset >= start && s.offset < end && s.offset + s.size > end) {
          end = s.offset + s.size;
          grown = true;
        }
      }
      for (ProgramHeader p : phdrs) {
        if (isTable(p) && partial(p.offset, p.offset + p.filesz, start, end)) {
          if (p.offset < start) {
            return null;
          }
          end = p.offset + p.filesz;
          grown = true;
        }
      }
      // A relocation table moves whole or not at all: its tag gets the moved address, and the
      // loader reads DT_RELASZ (...) bytes from there.
      for (Extent r : relocations) {
        if (partial(r.offset(), r.end(), start, end)) {
          if (r.offset() < start) {
            return null;
          }
          end = r.end();
          grown = true;
        }
      }
      // DT_STRTAB moves with the block when it starts inside: all of the table must move, not
      // only the bytes a section or segment covers (DT_STRTAB may point anywhere in them).
      long dynstrEnd = elf.dynstrFileOffset + elf.dynstr.length;
      if (elf.dynstrFileOffset >= 0 && partial(elf.dynstrFileOffset, dynstrEnd, start, end)) {
        if (elf.dynstrFileOffset < start) {
          return null;
        }
        end = dynstrEnd;
        grown = true;
      }
    }
    if (end > loadEnd || holdsDynamicTable(elf, start, end)) {
      return null;
    }
    List<SectionHeader> moved = new ArrayList<>();
    for (SectionHeader s : occupying(elf)) {
      if (s.offset >= start && s.offset < end) {
        if (s.type != SectionHeader.SHT_NOTE && !MOVABLE.contains(s.name)) {
          return null;
        }
        moved.add(s);
      }
    }
    byte[] bytes = read(elf, start, end);
    if (bytes == null) {
      return null;
    }
    return new Block(start, end, firstLoad.vaddr + (start - firstLoad.offset), moved, bytes);
  }

  /**
   * The sections from the end of the program header table up to (not including) the dynamic string
   * table at {@code dynstrOffset}, when they can all move with it: every one a table the editor can
   * follow (see {@link #MOVABLE}), every segment other than PT_LOAD, PT_PHDR and PT_GNU_RELRO
   * either wholly inside or wholly outside them. Null otherwise.
   */
  static Block beforeDynstr(ElfFile elf, List<ProgramHeader> phdrs, long dynstrOffset)
      throws BinaryFormatException {
    long tableEnd = elf.phoff + (long) elf.phnum * elf.phentsize;
    if (elf.sections.isEmpty() || dynstrOffset < tableEnd) {
      return null;
    }
    long start = dynstrOffset;
    List<SectionHeader> moved = new ArrayList<>();
    for (SectionHeader s : occupying(elf)) {
      if (s.offset < dynstrOffset && s.offset + s.size > tableEnd) {
        if (s.offset < tableEnd
            || s.offset + s.size > dynstrOffset
            || s.type != SectionHeader.SHT_NOTE && !MOVABLE.contains(s.name)) {
          return null;
        }
        start = Math.min(start, s.offset);
        moved.add(s);
      }
    }
    // Every byte up to .dynstr is rewritten: a relocation table there must move with the block.
    List<Extent> relocations = DynamicRelocations.extents(elf);
    for (Extent r : relocations) {
      if (r.overlaps(tableEnd, dynstrOffset)) {
        if (r.offset() < tableEnd || r.end() > dynstrOffset) {
          return null;
        }
        start = Math.min(start, r.offset());
      }
    }
    for (ProgramHeader p : phdrs) {
      if (isTable(p) && p.offset >= tableEnd && p.offset < start) {
        start = p.offset;
      }
    }
    for (ProgramHeader p : phdrs) {
      boolean other = isTable(p);
      boolean overlaps = p.offset < dynstrOffset && p.offset + p.filesz > start;
      boolean inside = p.offset >= start && p.offset + p.filesz <= dynstrOffset;
      if (other && overlaps && !inside) {
        return null;
      }
    }
    if (holdsDynamicTable(elf, start, dynstrOffset)) {
      return null;
    }
    byte[] bytes = read(elf, start, dynstrOffset);
    return bytes == null ? null : new Block(start, dynstrOffset, start, moved, bytes);
  }

  /**
   * The sections whose bytes are in the file there: allocated or not (a .interp that lost SHF_ALLOC
   * still holds the path PT_INTERP names, a dynamic table that lost it is still what PT_DYNAMIC
   * points at and the editor rewrites where it is).
   */
  private static List<SectionHeader> occupying(ElfFile elf) {
    List<SectionHeader> list = new ArrayList<>();
    for (SectionHeader s : elf.sections) {
      boolean hasBytes = s.type != 0 && s.type != SectionHeader.SHT_NOBITS && s.size > 0;
      boolean kept =
          (s.flags & SHF_ALLOC) != 0
              || MOVABLE.contains(s.name)
              || s.type == SectionHeader.SHT_DYNAMIC;
      if (hasBytes && kept) {
        list.add(s);
      }
    }
    return list;
  }

  /**
   * Whether the dynamic table PT_DYNAMIC points at has bytes in {@code [start, end)}. Such a block
   * never moves, whatever its section headers say (MIPS keeps the table there; a header of another
   * type or offset may hide it): the editor rewrites the table where PT_DYNAMIC was, and code and
   * the GOT may name its address.
   */
  private static boolean holdsDynamicTable(ElfFile elf, long start, long end) {
    ProgramHeader d = elf.dynamicSegment;
    return d != null && d.filesz > 0 && d.offset < end && d.offset + d.filesz > start;
  }

  /** Whether {@code [from, to)} overlaps {@code [start, end)} without lying wholly inside it. */
  private static boolean partial(long from, long to, long start, long end) {
    return from < end && to > start && (from < start || to > end);
  }

  /** A segment other than a mapping (PT_LOAD, PT_GNU_RELRO) or the table itself, with bytes. */
  private static boolean isTable(ProgramHeader p) {
    return p.type != ProgramHeader.PT_LOAD
        && p.type != ProgramHeader.PT_PHDR
        && p.type != ProgramHeader.PT_GNU_RELRO
        && p.filesz > 0;
  }

  /**
   * The file's bytes from {@code start} to {@code end}, or null when the file ends before (the
   * block cannot move then). A failing read is the edit's failure, not a reason to lay it out
   * otherwise.
   */
  private static byte[] read(ElfFile elf, long start, long end) throws BinaryFormatException {
    try (FileChannel channel = FileChannel.open(elf.path, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate((int) (end - start));
      long at = start;
      while (b.hasRemaining()) {
        int n = channel.read(b, at);
        if (n < 0) {
          return null;
        }
        at += n;
      }
      return b.array();
    } catch (IOException e) {
      throw new BinaryFormatException(
          elf.path,
          "cannot read bytes " + start + ".." + end + " to move them: " + e.getMessage(),
          e);
    }
  }
}
