package dev.pbstoolchain.binarypatcher.elf;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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

  byte[] dynstr = new byte[0];
  long dynstrFileOffset = -1;
  ProgramHeader interpSegment;
  String interpreter;
  final List<VersionNeed> versionNeeds = new ArrayList<>();

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
    osAbi = h.get(7) & 0xff;
    type = codec.u16(h, 16);
    machine = codec.u16(h, 18);
    int w = codec.wordSize();
    phoff = codec.word(h, 24 + w);
    shoff = codec.word(h, 24 + 2 * w);
    int rest = 24 + 3 * w + 4;
    phentsize = codec.u16(h, rest + 2);
    phnum = codec.u16(h, rest + 4);
    shentsize = codec.u16(h, rest + 6);
    shnum = codec.u16(h, rest + 8);
    shstrndx = codec.u16(h, rest + 10);
    if (phnum > 0 && phentsize != codec.programHeaderSize()) {
      throw problem(
          "e_phentsize is " + phentsize + ", expected " + codec.programHeaderSize() + " bytes");
    }
    ByteBuffer ph = region(channel, phoff, (long) phnum * phentsize, "the program header table");
    for (int i = 0; i < phnum; i++) {
      programHeaders.add(ProgramHeader.from(codec, ph, i * phentsize));
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
      ByteBuffer b = region(channel, interpSegment.offset, interpSegment.filesz, "PT_INTERP");
      interpreter = cString(b.array(), 0);
    }
    if (dynamicSegment == null) {
      dynamicSegment = dynamicFromSection();
    }
    if (dynamicSegment != null) {
      readDynamic(channel);
    }
  }

  private void readSections(FileChannel channel) throws BinaryFormatException, IOException {
    if (shoff == 0 || shnum == 0) {
      return;
    }
    if (shentsize != SectionHeader.size(codec)) {
      throw problem("e_shentsize is " + shentsize + ", expected " + SectionHeader.size(codec));
    }
    ByteBuffer sh = region(channel, shoff, (long) shnum * shentsize, "the section header table");
    for (int i = 0; i < shnum; i++) {
      sections.add(SectionHeader.from(codec, sh, i * shentsize));
    }
    if (shstrndx < sections.size()) {
      SectionHeader names = sections.get(shstrndx);
      if (names.type != SectionHeader.SHT_NOBITS && names.size > 0 && names.size < (1 << 24)) {
        byte[] table = region(channel, names.offset, names.size, "the section name table").array();
        for (SectionHeader s : sections) {
          s.name = s.nameIndex < table.length ? cString(table, s.nameIndex) : "";
        }
      }
    }
  }

  /**
   * Some tools drop PT_DYNAMIC while the loader-visible {@code .dynamic} section stays; patchelf
   * finds the table through the section then, and so do we (the header is not added back).
   */
  private ProgramHeader dynamicFromSection() {
    for (SectionHeader s : sections) {
      if (s.type == SectionHeader.SHT_DYNAMIC && s.size > 0) {
        ProgramHeader p = new ProgramHeader();
        p.type = ProgramHeader.PT_DYNAMIC;
        p.offset = s.offset;
        p.vaddr = s.addr;
        p.paddr = s.addr;
        p.filesz = s.size;
        p.memsz = s.size;
        return p;
      }
    }
    return null;
  }

  private void readDynamic(FileChannel channel) throws BinaryFormatException, IOException {
    int entrySize = codec.dynamicEntrySize();
    ByteBuffer d = region(channel, dynamicSegment.offset, dynamicSegment.filesz, "PT_DYNAMIC");
    dynamicSlots = (int) (dynamicSegment.filesz / entrySize);
    for (int i = 0; i < dynamicSlots; i++) {
      long tag = codec.word(d, i * entrySize);
      if (tag == DynamicEntry.DT_NULL) {
        break;
      }
      dynamic.add(new DynamicEntry(tag, codec.word(d, i * entrySize + codec.wordSize())));
    }
    Optional<Long> strtab = value(DynamicEntry.DT_STRTAB);
    Optional<Long> strsz = value(DynamicEntry.DT_STRSZ);
    if (strtab.isPresent() && strsz.isPresent()) {
      dynstrFileOffset = fileOffset(strtab.get(), "DT_STRTAB");
      dynstr = region(channel, dynstrFileOffset, strsz.get(), ".dynstr (DT_STRTAB)").array();
    } else if (!dynamic.isEmpty()) {
      throw problem("the dynamic section has no DT_STRTAB/DT_STRSZ, so its strings cannot be read");
    }
    readVersionNeeds(channel);
  }

  private void readVersionNeeds(FileChannel channel) throws BinaryFormatException, IOException {
    Optional<Long> verneed = value(DynamicEntry.DT_VERNEED);
    Optional<Long> count = value(DynamicEntry.DT_VERNEEDNUM);
    if (verneed.isEmpty() || count.isEmpty()) {
      return;
    }
    long at = fileOffset(verneed.get(), "DT_VERNEED");
    for (long i = 0; i < count.get(); i++) {
      ByteBuffer need = region(channel, at, 16, ".gnu.version_r entry " + i);
      int cnt = codec.u16(need, 2);
      long file = codec.u32(need, 4);
      long aux = codec.u32(need, 8);
      long next = codec.u32(need, 12);
      List<String> versions = new ArrayList<>();
      long auxAt = at + aux;
      for (int j = 0; j < cnt; j++) {
        ByteBuffer a = region(channel, auxAt, 16, ".gnu.version_r auxiliary entry");
        versions.add(string(codec.u32(a, 8)));
        long auxNext = codec.u32(a, 12);
        if (auxNext == 0) {
          break;
        }
        auxAt += auxNext;
      }
      versionNeeds.add(new VersionNeed(string(file), versions, at + 4));
      if (next == 0) {
        break;
      }
      at += next;
    }
  }

  /** Whether a symbol of {@code dynsym} has its name inside {@code [start, end]} of .dynstr. */
  boolean symbolNameWithin(SectionHeader dynsym, long start, long end)
      throws BinaryFormatException {
    int entry = codec.is64 ? 24 : 16;
    if (dynsym.size > Integer.MAX_VALUE || dynsym.offset + dynsym.size > fileSize) {
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
    for (ProgramHeader p : programHeaders) {
      if (p.containsVaddr(vaddr)) {
        return vaddr - p.vaddr + p.offset;
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
    long at = offset;
    while (b.hasRemaining()) {
      int n = channel.read(b, at);
      if (n < 0) {
        throw new IOException("unexpected end of file at offset " + at);
      }
      at += n;
    }
    b.flip();
  }

  BinaryFormatException problem(String message) {
    return new BinaryFormatException(path, message);
  }

  static String cString(byte[] bytes, int from) {
    int end = from;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, from, end - from, StandardCharsets.UTF_8);
  }

  /** A string of {@code .dynstr}. */
  String string(long offset) throws BinaryFormatException {
    if (offset < 0 || offset >= dynstr.length) {
      throw problem(
          "string offset "
              + offset
              + " lies outside .dynstr ("
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

  private Optional<String> stringOf(long tag) {
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
    return Optional.ofNullable(interpreter);
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
        needed.add(string(e.value()));
      }
    }
    return needed;
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

  /** The page size the loader of this machine assumes (what patchelf uses by default). */
  public long defaultPageSize() {
    long page =
        switch (machine) {
          case EM_AARCH64, EM_PPC, EM_PPC64, EM_MIPS, EM_IA_64, EM_LOONGARCH -> 0x10000;
          case EM_SPARC, EM_SPARCV9 -> 0x2000;
          default -> 0x1000;
        };
    for (ProgramHeader p : programHeaders) {
      if (p.type == ProgramHeader.PT_LOAD && p.align > page && Long.bitCount(p.align) == 1) {
        page = p.align;
      }
    }
    return page;
  }
}
