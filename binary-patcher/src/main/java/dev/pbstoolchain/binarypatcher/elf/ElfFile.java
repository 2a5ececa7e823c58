package dev.pbstoolchain.binarypatcher.elf;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.io.PositionalRead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of an ELF file's headers, dynamic section, dynamic strings, interpreter and
 * version needs. Only those structures are read (through a {@link FileChannel}); the rest of the
 * file never enters the heap.
 */
public final class ElfFile {

  public static final int ET_EXEC = 2;
  public static final int ET_DYN = 3;

  static final int EM_386 = 3;
  static final int EM_SPARC = 2;
  static final int EM_MIPS = 8;
  static final int EM_PPC = 20;
  static final int EM_PPC64 = 21;
  static final int EM_S390 = 22;
  static final int EM_ARM = 40;
  static final int EM_SPARCV9 = 43;
  static final int EM_IA_64 = 50;
  static final int EM_X86_64 = 62;
  static final int EM_AARCH64 = 183;
  static final int EM_RISCV = 243;
  static final int EM_LOONGARCH = 258;

  final Path path;
  final ElfCodec codec;
  final long fileSize;
  int osAbi;
  int type;
  int machine;
  long phoff;
  long shoff;
  int phentsize;
  int phnum;
  int shentsize;
  int shnum;
  int shstrndx;
  final List<ProgramHeader> programHeaders = new ArrayList<>();
  final List<SectionHeader> sections = new ArrayList<>();
  final List<DynamicEntry> dynamic = new ArrayList<>();
  ProgramHeader dynamicSegment;

  /** Capacity of the dynamic section in entries, including spare {@code DT_NULL}s. */
  int dynamicSlots;

  /** Whether a DT_NULL ends the dynamic entries within the section (the loader needs one). */
  boolean dynamicTerminated;

  final List<String> warnings = new ArrayList<>();

  /** The ELF header's bytes as read. */
  byte[] header;

  /** The section name table ({@code e_shstrndx}), empty without section headers. */
  byte[] sectionNames = new byte[0];

  byte[] dynstr = new byte[0];
  long dynstrFileOffset = -1;
  ProgramHeader interpSegment;
  String interpreter;
  final List<VersionNeed> versionNeeds = new ArrayList<>();

  /**
   * Where each {@code Elf_Verneed} and {@code Elf_Vernaux} entry read starts ({@link
   * #VERSION_ENTRY} bytes each), the first {@link #versionNeedEntryCount} of the array: the chain
   * links them by relative offsets, so an edit must keep them all, and move them together or not at
   * all. Plain offsets: a corrupt chain may be long.
   */
  long[] versionNeedEntryOffsets = new long[0];

  int versionNeedEntryCount;

  private ElfFile(Path path, ElfCodec codec, long fileSize) {
    this.path = path;
    this.codec = codec;
    this.fileSize = fileSize;
  }

  /** Reads the structures of {@code path}; fails with a precise message on anything malformed. */
  public static ElfFile read(Path path) throws BinaryFormatException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return read(path, channel);
    } catch (NoSuchFileException e) {
      throw new BinaryFormatException(path, "no such file");
    } catch (IOException e) {
      throw new BinaryFormatException(path, "cannot read: " + e.getMessage(), e);
    }
  }

  static ElfFile read(Path path, FileChannel channel) throws BinaryFormatException, IOException {
    long size = channel.size();
    if (size < 16) {
      throw new BinaryFormatException(
          path, "not an ELF file: only " + size + " bytes, too short for the ELF identification");
    }
    ByteBuffer ident = ByteBuffer.allocate(16);
    readFully(channel, ident, 0);
    if (ident.getInt(0) != 0x7f454c46) {
      throw new BinaryFormatException(
          path, "not an ELF file: it does not start with the ELF magic \\x7fELF");
    }
    int elfClass = ident.get(4);
    int data = ident.get(5);
    if (elfClass != 1 && elfClass != 2) {
      throw new BinaryFormatException(
          path, "unsupported ELF class " + elfClass + " in e_ident[EI_CLASS] (expected 1 or 2)");
    }
    if (data != 1 && data != 2) {
      throw new BinaryFormatException(
          path, "unsupported ELF data encoding " + data + " in e_ident[EI_DATA] (expected 1 or 2)");
    }
    ElfCodec codec =
        new ElfCodec(elfClass == 2, data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    ElfFile elf = new ElfFile(path, codec, size);
    elf.parse(channel);
    return elf;
  }

  private void parse(FileChannel channel) throws BinaryFormatException, IOException {
    int headerSize = codec.is64 ? 64 : 52;
    ByteBuffer h = region(channel, 0, headerSize, "the ELF header");
    header = h.array();
    osAbi = h.get(7) & 0xff;
    type = codec.u16(h, 16);
    machine = codec.u16(h, 18);
    phoff = codec.word(h, ElfHeaderFields.phoff(codec));
    shoff = codec.word(h, ElfHeaderFields.shoff(codec));
    phentsize = codec.u16(h, ElfHeaderFields.phentsize(codec));
    phnum = codec.u16(h, ElfHeaderFields.phnum(codec));
    shentsize = codec.u16(h, ElfHeaderFields.shentsize(codec));
    shnum = codec.u16(h, ElfHeaderFields.shnum(codec));
    shstrndx = codec.u16(h, ElfHeaderFields.shstrndx(codec));
    if (phnum > 0 && phentsize != codec.programHeaderSize()) {
      throw problem(
          "program headers have wrong size: e_phentsize is "
              + phentsize
              + ", expected "
              + codec.programHeaderSize()
              + " bytes");
    }
    long phSize = (long) phnum * phentsize;
    checkHeaderTable(phoff, phSize, "program");
    ByteBuffer ph = region(channel, phoff, phSize, "the program header table");
    for (int i = 0; i < phnum; i++) {
      ProgramHeader p = ProgramHeader.from(codec, ph, i * phentsize);
      checkSegment(p, i);
      programHeaders.add(p);
    }
    readSections(channel);
    for (ProgramHeader p : programHeaders) {
      if (p.type == ProgramHeader.PT_DYNAMIC) {
        dynamicSegment = p;
      } else if (p.type == ProgramHeader.PT_INTERP) {
        interpSegment = p;
      }
    }
    if (interpSegment != null) {
      interpreter = readInterpreter(channel);
    }
    if (dynamicSegment == null) {
      dynamicSegment = dynamicFromSection();
    }
    if (dynamicSegment != null) {
      checkMappedWhereItSays(dynamicSegment, "PT_DYNAMIC");
      readDynamic(channel);
    }
  }

  /**
   * The loader finds the dynamic section by its address, readers (and we) by its offset: inside a
   * PT_LOAD both must name the same bytes, or an edit would rewrite a table the loader never reads.
   */
  private void checkMappedWhereItSays(ProgramHeader segment, String what)
      throws BinaryFormatException {
    for (ProgramHeader load : programHeaders) {
      if (load.containsVaddr(segment.vaddr)
          && segment.offset - load.offset != segment.vaddr - load.vaddr) {
        throw problem(
            what
                + " says offset 0x"
                + Long.toHexString(segment.offset)
                + " but its address 0x"
                + Long.toHexString(segment.vaddr)
                + " is at offset 0x"
                + Long.toHexString(load.offset + (segment.vaddr - load.vaddr))
                + " of its PT_LOAD segment: the file is corrupt");
      }
    }
  }

  /** The program or section header table must lie in the file (patchelf's wording). */
  private void checkHeaderTable(long offset, long size, String kind) throws BinaryFormatException {
    if (offset < 0 || offset > fileSize || size > fileSize - offset) {
      throw problem(
          "truncated or corrupt: "
              + kind
              + " header table out of bounds: "
              + size
              + " bytes at offset "
              + Long.toUnsignedString(offset)
              + " run past the end of the file ("
              + fileSize
              + " bytes)");
    }
  }

  private void readSections(FileChannel channel) throws BinaryFormatException, IOException {
    if (shoff == 0 || shnum == 0) {
      return;
    }
    long shSize = (long) shnum * shentsize;
    checkHeaderTable(shoff, shSize, "section");
    if (shentsize != SectionHeader.size(codec)) {
      throw problem(
          "section headers have wrong size: e_shentsize is "
              + shentsize
              + ", expected "
              + SectionHeader.size(codec));
    }
    ByteBuffer sh = region(channel, shoff, shSize, "the section header table");
    for (int i = 0; i < shnum; i++) {
      sections.add(SectionHeader.from(codec, sh, i * shentsize));
    }
    if (shstrndx >= sections.size()) {
      throw problem(
          "string table index out of bounds: e_shstrndx is "
              + shstrndx
              + " but there are "
              + sections.size()
              + " section headers");
    }
    SectionHeader names = sections.get(shstrndx);
    if (names.offset < 0
        || names.size < 0
        || names.offset > fileSize
        || names.size > fileSize - names.offset) {
      throw problem(
          "section name table: data region extends past file end ("
              + Long.toUnsignedString(names.size)
              + " bytes at offset "
              + Long.toUnsignedString(names.offset)
              + ", file is "
              + fileSize
              + " bytes)");
    }
    if (names.size == 0) {
      throw problem("section name table: string table size is zero");
    }
    if (names.size > MAX_TABLE) {
      throw problem("section name table: " + names.size + " bytes is more than any linker writes");
    }
    byte[] table = region(channel, names.offset, names.size, "the section name table").array();
    sectionNames = table;
    if (table[table.length - 1] != 0) {
      throw problem("section name table: string table is not zero terminated");
    }
    for (int i = 0; i < sections.size(); i++) {
      SectionHeader s = sections.get(i);
      long index = Integer.toUnsignedLong(s.nameIndex);
      if (index >= table.length) {
        throw problem(
            "section "
                + i
                + ": section name offset out of bounds ("
                + index
                + ", the name table has "
                + table.length
                + " bytes)");
      }
      sections.set(i, s.named(cString(table, (int) index)));
    }
    for (int i = 0; i < sections.size(); i++) {
      SectionHeader s = sections.get(i);
      if (s.type == SectionHeader.SHT_DYNAMIC) {
        checkContents(s, i, codec.wordSize());
      }
    }
    warnAboutUnnamedSections(channel);
  }

  /**
   * The interpreter path: the {@code .interp} section's bytes up to its last (the NUL), as patchelf
   * reads it, else PT_INTERP's, each cut at the first NUL.
   */
  private String readInterpreter(FileChannel channel) throws BinaryFormatException, IOException {
    checkNotInHeaders(interpSegment.offset, interpSegment.filesz, "PT_INTERP");
    long offset = interpSegment.offset;
    long size = interpSegment.filesz;
    for (SectionHeader s : sections) {
      if (s.name.equals(".interp") && s.type != SectionHeader.SHT_NOBITS) {
        offset = s.offset;
        size = s.size;
        break;
      }
    }
    if (size > MAX_TABLE) {
      throw problem("the interpreter path's size " + size + " is implausible");
    }
    byte[] bytes = region(channel, offset, size, "the interpreter path (.interp)").array();
    return cString(bytes, 0, Math.max(bytes.length - 1, 0));
  }

  /** Warns about symbols of {@code .symtab} or {@code .dynsym} in a section that has no name. */
  private void warnAboutUnnamedSections(FileChannel channel)
      throws BinaryFormatException, IOException {
    java.util.Set<Integer> unnamed = new java.util.HashSet<>();
    for (int i = 1; i < sections.size(); i++) {
      SectionHeader s = sections.get(i);
      if (s.name.isEmpty() && s.type != 0) {
        unnamed.add(i);
      }
    }
    if (unnamed.isEmpty()) {
      return;
    }
    int entry = codec.is64 ? 24 : 16;
    int shndxAt = codec.is64 ? 6 : 14;
    for (SectionHeader table : sections) {
      boolean symbols =
          table.type == SectionHeader.SHT_SYMTAB || table.type == SectionHeader.SHT_DYNSYM;
      if (!symbols
          || table.size > MAX_TABLE
          || table.offset > fileSize
          || table.size > fileSize - table.offset) {
        continue;
      }
      ByteBuffer b = region(channel, table.offset, table.size, table.name);
      for (int at = 0; at + entry <= b.limit(); at += entry) {
        int shndx = codec.u16(b, at + shndxAt);
        if (unnamed.contains(shndx)) {
          warnings.add(
              "warning: "
                  + (table.name.isEmpty() ? "a symbol table" : table.name)
                  + " entry "
                  + at / entry
                  + " refers to an unnamed section (index "
                  + shndx
                  + ")");
          break;
        }
      }
    }
  }

  /**
   * A segment's file bytes must be in the file, and a PT_LOAD maps no more of the file than it
   * occupies in memory: otherwise addresses resolve to the wrong bytes.
   */
  private void checkSegment(ProgramHeader p, int index) throws BinaryFormatException {
    if (p.filesz == 0) {
      return;
    }
    if (p.offset < 0 || p.filesz < 0 || p.offset > fileSize || p.filesz > fileSize - p.offset) {
      throw problem(
          "truncated or corrupt: segment "
              + index
              + " ("
              + Long.toUnsignedString(p.filesz)
              + " bytes at offset "
              + Long.toUnsignedString(p.offset)
              + "): data region extends past file end ("
              + fileSize
              + " bytes)");
    }
    if (p.type == ProgramHeader.PT_LOAD && Long.compareUnsigned(p.filesz, p.memsz) > 0) {
      throw problem(
          "segment "
              + index
              + " (PT_LOAD) has a file size ("
              + p.filesz
              + ") larger than its memory size ("
              + Long.toUnsignedString(p.memsz)
              + ")");
    }
  }

  /** Every string a dynamic entry names must lie in .dynstr, checked once when reading. */
  private void checkDynamicStrings() throws BinaryFormatException {
    for (DynamicEntry e : dynamic) {
      String name = DynamicEntry.stringTagName(e.tag());
      if (name != null) {
        string(e.value(), name);
      }
    }
  }

  /** Tables larger than this are a corrupt size, not something to allocate. */
  static final long MAX_TABLE = 1L << 30;

  /** A section the editor reads as a table: inside the file and aligned for its entries. */
  private void checkContents(SectionHeader s, int index, int alignment)
      throws BinaryFormatException {
    if (s.type == SectionHeader.SHT_NOBITS) {
      return;
    }
    if (s.offset < 0 || s.size < 0 || s.offset > fileSize || s.size > fileSize - s.offset) {
      throw problem(
          "section "
              + index
              + " ("
              + s.name
              + "): data offset extends past file end ("
              + Long.toUnsignedString(s.size)
              + " bytes at offset "
              + Long.toUnsignedString(s.offset)
              + ", file is "
              + fileSize
              + " bytes)");
    }
    if (s.offset % alignment != 0) {
      throw problem(
          "section "
              + index
              + " ("
              + s.name
              + "): section content is not naturally aligned (offset "
              + s.offset
              + " is not a multiple of "
              + alignment
              + ")");
    }
  }

  /**
   * Some tools drop PT_DYNAMIC while the loader-visible {@code .dynamic} section stays; patchelf
   * finds the table through the section then, and so do we (the header is not added back).
   */
  private ProgramHeader dynamicFromSection() {
    for (SectionHeader s : sections) {
      if (s.type == SectionHeader.SHT_DYNAMIC && s.size > 0) {
        return ProgramHeader.unplaced(ProgramHeader.PT_DYNAMIC, 0, 0)
            .placed(s.offset, s.addr, s.size);
      }
    }
    return null;
  }

  private void readDynamic(FileChannel channel) throws BinaryFormatException, IOException {
    int entrySize = codec.dynamicEntrySize();
    checkNotInHeaders(dynamicSegment.offset, dynamicSegment.filesz, "the dynamic section");
    if (dynamicSegment.offset % codec.wordSize() != 0) {
      throw problem(
          "the dynamic section at offset "
              + dynamicSegment.offset
              + ": section content is not naturally aligned");
    }
    if (dynamicSegment.filesz > MAX_TABLE) {
      throw problem("the dynamic section's size " + dynamicSegment.filesz + " is implausible");
    }
    ByteBuffer d = region(channel, dynamicSegment.offset, dynamicSegment.filesz, "PT_DYNAMIC");
    dynamicSlots = (int) (dynamicSegment.filesz / entrySize);
    for (int i = 0; i < dynamicSlots; i++) {
      long tag = codec.word(d, i * entrySize);
      if (tag == DynamicEntry.DT_NULL) {
        dynamicTerminated = true;
        break;
      }
      dynamic.add(new DynamicEntry(tag, codec.word(d, i * entrySize + codec.wordSize())));
    }
    if (!dynamicTerminated && dynamicSlots > 0) {
      throw problem(
          ".dynamic section has no DT_NULL terminator ("
              + dynamicSlots
              + " entries at offset "
              + dynamicSegment.offset
              + "): the loader would read past its end, and no entry can be written in place"
              + " (setSubstr: write extends past end of section)");
    }
    Optional<Long> strtab = value(DynamicEntry.DT_STRTAB);
    Optional<Long> strsz = value(DynamicEntry.DT_STRSZ);
    if (strtab.isPresent() && strsz.isPresent()) {
      long size = strsz.get();
      if (size < 0 || size > MAX_TABLE) {
        throw problem("DT_STRSZ " + Long.toUnsignedString(size) + " is implausible");
      }
      dynstrFileOffset = fileOffset(strtab.get(), size, "DT_STRTAB");
      checkNotInHeaders(dynstrFileOffset, size, ".dynstr (DT_STRTAB)");
      dynstr = region(channel, dynstrFileOffset, size, ".dynstr (DT_STRTAB)").array();
      if (dynstr.length > 0 && dynstr[dynstr.length - 1] != 0) {
        throw problem(
            ".dynstr (DT_STRTAB at offset "
                + dynstrFileOffset
                + "): string table is not NUL-terminated");
      }
    } else if (!dynamic.isEmpty()) {
      throw problem("the dynamic section has no DT_STRTAB/DT_STRSZ, so its strings cannot be read");
    }
    checkDynamicStrings();
    readVersionNeeds(channel);
  }

  /** Tables the editor writes must not lie over the ELF header or the program header table. */
  private void checkNotInHeaders(long offset, long size, String what) throws BinaryFormatException {
    if (size == 0) {
      return;
    }
    long headerSize = codec.is64 ? 64 : 52;
    long phEnd = phoff + (long) phnum * phentsize;
    boolean overHeader = offset < headerSize;
    boolean overPhdrs = phnum > 0 && offset < phEnd && offset + size > phoff;
    if (overHeader || overPhdrs) {
      throw problem(
          what
              + " at offset "
              + offset
              + " ("
              + size
              + " bytes) overlaps the "
              + (overHeader ? "ELF header" : "program header table")
              + ": the file is corrupt");
    }
  }

  /** The size of an {@code Elf_Verneed} and of an {@code Elf_Vernaux}, in ELF32 and ELF64 alike. */
  static final int VERSION_ENTRY = 16;

  /** Version needs beyond this are a corrupt count (glibc programs need a handful). */
  private static final long MAX_VERSION_NEEDS = 1 << 16;

  private void readVersionNeeds(FileChannel channel) throws BinaryFormatException, IOException {
    Optional<Long> verneed = value(DynamicEntry.DT_VERNEED);
    Optional<Long> count = value(DynamicEntry.DT_VERNEEDNUM);
    if (verneed.isEmpty() || count.isEmpty()) {
      return;
    }
    if (count.get() < 0 || count.get() > MAX_VERSION_NEEDS) {
      throw problem("DT_VERNEEDNUM " + Long.toUnsignedString(count.get()) + " is implausible");
    }
    long at = fileOffset(verneed.get(), VERSION_ENTRY, "DT_VERNEED");
    for (long i = 0; i < count.get(); i++) {
      ByteBuffer need = region(channel, at, VERSION_ENTRY, ".gnu.version_r entry " + i);
      int cnt = codec.u16(need, 2);
      long file = codec.u32(need, 4);
      long aux = codec.u32(need, 8);
      long next = codec.u32(need, 12);
      List<String> versions = new ArrayList<>();
      long auxAt = at + aux;
      addVersionNeedEntry(at);
      for (int j = 0; j < cnt; j++) {
        ByteBuffer a = region(channel, auxAt, VERSION_ENTRY, ".gnu.version_r auxiliary entry");
        addVersionNeedEntry(auxAt);
        versions.add(string(codec.u32(a, 8), ".gnu.version_r vna_name"));
        long auxNext = codec.u32(a, 12);
        if (auxNext == 0) {
          break;
        }
        auxAt += auxNext;
      }
      versionNeeds.add(new VersionNeed(string(file, ".gnu.version_r vn_file"), versions, at + 4));
      if (next == 0) {
        break;
      }
      at += next;
    }
  }

  private void addVersionNeedEntry(long offset) {
    if (versionNeedEntryCount == versionNeedEntryOffsets.length) {
      versionNeedEntryOffsets =
          Arrays.copyOf(versionNeedEntryOffsets, Math.max(16, versionNeedEntryCount * 2));
    }
    versionNeedEntryOffsets[versionNeedEntryCount++] = offset;
  }

  /** Whether a symbol of {@code dynsym} has its name inside {@code [start, end]} of .dynstr. */
  boolean symbolNameWithin(SectionHeader dynsym, long start, long end)
      throws BinaryFormatException {
    int entry = codec.is64 ? 24 : 16;
    // Offsets and sizes are unsigned in the file: one past 2^63 reads as a negative long.
    if (dynsym.offset < 0
        || dynsym.size < 0
        || dynsym.size > Integer.MAX_VALUE
        || dynsym.offset > fileSize - dynsym.size) {
      throw problem("the .dynsym section lies past the end of the file");
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer table = codec.allocate((int) dynsym.size);
      readFully(channel, table, dynsym.offset);
      for (int at = 0; at + entry <= table.limit(); at += entry) {
        long name = codec.u32(table, at);
        if (name != 0 && name >= start && name <= end) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new BinaryFormatException(path, "cannot read .dynsym: " + e.getMessage(), e);
    }
  }

  /** The index of the first section of {@code type} ({@code SHT_*}), or -1. */
  int sectionIndex(int type) {
    for (int i = 0; i < sections.size(); i++) {
      if (sections.get(i).type == type) {
        return i;
      }
    }
    return -1;
  }

  /** The first section of {@code type}, or null. */
  SectionHeader section(int type) {
    int i = sectionIndex(type);
    return i < 0 ? null : sections.get(i);
  }

  /** The bytes of a section, read when an edit needs them. */
  byte[] sectionBytes(SectionHeader s, String what) throws BinaryFormatException {
    if (s.type == SectionHeader.SHT_NOBITS
        || s.offset < 0
        || s.size < 0
        || s.size > Integer.MAX_VALUE
        || s.offset + s.size > fileSize) {
      throw problem("the " + what + " section lies past the end of the file");
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate((int) s.size);
      readFully(channel, b, s.offset);
      return b.array();
    } catch (IOException e) {
      throw new BinaryFormatException(path, "cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  /** Maps a virtual address to its file offset through the PT_LOAD segments. */
  long fileOffset(long vaddr, String what) throws BinaryFormatException {
    return fileOffset(vaddr, 0, what);
  }

  /**
   * Maps {@code size} bytes at a virtual address to their file offset: all of them must lie in the
   * file bytes of one PT_LOAD segment.
   */
  long fileOffset(long vaddr, long size, String what) throws BinaryFormatException {
    for (ProgramHeader p : programHeaders) {
      if (p.containsVaddr(vaddr)) {
        long into = vaddr - p.vaddr;
        if (Long.compareUnsigned(size, p.filesz - into) > 0) {
          throw problem(
              what
                  + " (0x"
                  + Long.toHexString(vaddr)
                  + ", "
                  + size
                  + " bytes) runs past the end of its PT_LOAD segment");
        }
        return into + p.offset;
      }
    }
    throw problem(what + " address 0x" + Long.toHexString(vaddr) + " is in no PT_LOAD segment");
  }

  private ByteBuffer region(FileChannel channel, long offset, long length, String what)
      throws BinaryFormatException, IOException {
    if (offset < 0 || length < 0 || length > Integer.MAX_VALUE || offset + length > fileSize) {
      throw problem(
          "truncated or corrupt: "
              + what
              + " at offset "
              + offset
              + " ("
              + length
              + " bytes) lies past the end of the file ("
              + fileSize
              + " bytes)");
    }
    ByteBuffer b = codec == null ? ByteBuffer.allocate((int) length) : codec.allocate((int) length);
    readFully(channel, b, offset);
    return b;
  }

  private static void readFully(FileChannel channel, ByteBuffer b, long offset) throws IOException {
    PositionalRead.readFully(channel, b, offset);
  }

  BinaryFormatException problem(String message) {
    return new BinaryFormatException(path, message);
  }

  /** The raw string (one char per byte, see {@link RawString}) at {@code from}. */
  static String cString(byte[] bytes, int from) {
    return cString(bytes, from, bytes.length);
  }

  /** As {@link #cString(byte[], int)}, not looking past {@code limit}. */
  static String cString(byte[] bytes, int from, int limit) {
    int end = from;
    while (end < limit && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, from, end - from, RawString.latin1());
  }

  /** A raw string of {@code .dynstr}. */
  String string(long offset) throws BinaryFormatException {
    return string(offset, "a dynamic entry");
  }

  /** A raw string of {@code .dynstr}, named by {@code user}, the field that refers to it. */
  String string(long offset, String user) throws BinaryFormatException {
    if (offset < 0 || offset >= dynstr.length) {
      throw problem(
          user
              + ": string table index out of bounds ("
              + Long.toUnsignedString(offset)
              + ", .dynstr has "
              + dynstr.length
              + " bytes): the dynamic section is corrupt");
    }
    return cString(dynstr, (int) offset);
  }

  Optional<Long> value(long tag) {
    for (DynamicEntry e : dynamic) {
      if (e.tag() == tag) {
        return Optional.of(e.value());
      }
    }
    return Optional.empty();
  }

  /** The raw string a string-valued tag names, if the tag is there and its string readable. */
  Optional<String> rawStringOf(long tag) {
    Optional<Long> v = value(tag);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(string(v.get()));
    } catch (BinaryFormatException e) {
      return Optional.empty();
    }
  }

  private Optional<String> stringOf(long tag) {
    return rawStringOf(tag).map(RawString::text);
  }

  /**
   * The bytes of the string {@code tag} ({@code DT_SONAME}, {@code DT_RUNPATH}, {@code DT_RPATH})
   * names, exactly as stored (for printing them as they are).
   */
  public Optional<byte[]> stringBytes(long tag) {
    return rawStringOf(tag).map(RawString::bytes);
  }

  /** The DT_NEEDED names as stored, in order. */
  public List<byte[]> neededBytes() throws BinaryFormatException {
    List<byte[]> needed = new ArrayList<>();
    for (DynamicEntry e : dynamic) {
      if (e.tag() == DynamicEntry.DT_NEEDED) {
        needed.add(RawString.bytes(string(e.value(), "DT_NEEDED")));
      }
    }
    return needed;
  }

  /** The interpreter path as stored. */
  public Optional<byte[]> interpreterBytes() {
    return Optional.ofNullable(interpreter).map(RawString::bytes);
  }

  /** Problems that do not stop an edit, for the user to hear about (e.g. unnamed sections). */
  public List<String> warnings() {
    return Collections.unmodifiableList(warnings);
  }

  public Path path() {
    return path;
  }

  public boolean is64() {
    return codec.is64;
  }

  public boolean isBigEndian() {
    return codec.order == ByteOrder.BIG_ENDIAN;
  }

  /** {@code e_ident[EI_OSABI]}: 0 System V, 3 Linux (GNU), 9 FreeBSD, ... */
  public int osAbi() {
    return osAbi;
  }

  /** PF_X of PT_GNU_STACK; empty without that header (the loader's default then applies). */
  public Optional<Boolean> executableStack() {
    for (ProgramHeader p : programHeaders) {
      if (p.type == ProgramHeader.PT_GNU_STACK) {
        return Optional.of((p.flags & ProgramHeader.PF_X) != 0);
      }
    }
    return Optional.empty();
  }

  /** {@code e_type}: {@link #ET_EXEC}, {@link #ET_DYN}, ... */
  public int type() {
    return type;
  }

  /** {@code e_machine}. */
  public int machine() {
    return machine;
  }

  public boolean hasDynamicSection() {
    return dynamicSegment != null;
  }

  public Optional<String> interpreter() {
    return Optional.ofNullable(interpreter).map(RawString::text);
  }

  public Optional<String> soname() {
    return stringOf(DynamicEntry.DT_SONAME);
  }

  public Optional<String> runpath() {
    return stringOf(DynamicEntry.DT_RUNPATH);
  }

  public Optional<String> rpath() {
    return stringOf(DynamicEntry.DT_RPATH);
  }

  /** DT_NEEDED entries in order. */
  public List<String> needed() throws BinaryFormatException {
    List<String> needed = new ArrayList<>();
    for (DynamicEntry e : dynamic) {
      if (e.tag() == DynamicEntry.DT_NEEDED) {
        needed.add(RawString.text(string(e.value(), "DT_NEEDED")));
      }
    }
    return needed;
  }

  /**
   * The dynamic relocations as the loader finds them through DT_RELA, DT_REL, DT_JMPREL and DT_RELR
   * (read from the file now, not when it was parsed).
   */
  public List<Relocation> dynamicRelocations() throws BinaryFormatException {
    return DynamicRelocations.read(this);
  }

  public List<DynamicEntry> dynamicEntries() {
    return Collections.unmodifiableList(dynamic);
  }

  public List<ProgramHeader> programHeaders() {
    return Collections.unmodifiableList(programHeaders);
  }

  public List<SectionHeader> sections() {
    return Collections.unmodifiableList(sections);
  }

  public List<VersionNeed> versionNeeds() {
    return Collections.unmodifiableList(versionNeeds);
  }

  /**
   * The largest page a Linux loader uses (64 KiB on arm64, ppc64, mips); a larger p_align is a
   * segment alignment, not a page, and would pad the file by that much.
   */
  static final long MAX_PAGE_SIZE = 0x10000;

  /** The page size the loader of this machine assumes (what patchelf uses by default). */
  public long defaultPageSize() {
    long page =
        switch (machine) {
          case EM_AARCH64, EM_PPC, EM_PPC64, EM_MIPS, EM_IA_64, EM_LOONGARCH -> 0x10000;
          case EM_SPARC, EM_SPARCV9 -> 0x2000;
          default -> 0x1000;
        };
    for (ProgramHeader p : programHeaders) {
      if (p.type == ProgramHeader.PT_LOAD
          && p.align > page
          && p.align <= MAX_PAGE_SIZE
          && Long.bitCount(p.align) == 1) {
        page = p.align;
      }
    }
    return page;
  }
}
