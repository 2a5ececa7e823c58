package dev.pbstoolchain.binarypatcher.elf;

import static dev.pbstoolchain.binarypatcher.testing.OurCli.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.binarypatcher.cli.Main;
import dev.pbstoolchain.binarypatcher.testing.Hello;
import dev.pbstoolchain.binarypatcher.testing.HelloBuilds;
import dev.pbstoolchain.binarypatcher.testing.Tool;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviours of patchelf 0.19 that our patchelf command keeps, each found broken before. */
class PatchelfParityTest {

  private static HelloBuilds hello;
  @TempDir Path work;

  @BeforeAll
  static void compile(@TempDir Path built) {
    hello =
        HelloBuilds.pieAndNoPie(built).and("hello.o", "-c").and("latin", "-Wl,-rpath,/opt/Xlatin");
  }

  /** An empty interpreter is no change (patchelf's rule): an empty PT_INTERP cannot start. */
  @Test
  void anEmptyInterpreterChangesNothing() throws Exception {
    Path pie = hello.copy("pie", work);
    byte[] before = Files.readAllBytes(pie);
    assertThat(cli("patchelf", "--set-interpreter", "", pie.toString())).isEqualTo("exit 0");
    assertThat(Files.readAllBytes(pie)).isEqualTo(before);
    assertThat(cli("patchelf", "--set-interpreter", "", "--set-rpath", "/x", pie.toString()))
        .isEqualTo("exit 0");
    assertThat(Tool.run("patchelf", "--print-interpreter", pie.toString()).orFail().stdout())
        .startsWith("/lib64/ld-linux-x86-64.so.2");
    Hello.assertRuns(pie);
  }

  /** Only executables and shared objects are patchelf's business, prints included. */
  @Test
  void aRelocatableObjectIsTheWrongType() throws Exception {
    Path object = hello.copy("hello.o", work);
    assertThat(cli("patchelf", "--print-rpath", object.toString()))
        .isEqualTo(
            "exit 1: patchelf: "
                + object
                + ": wrong ELF type: e_type is 1, not an executable (2) or shared object (3)\n");
  }

  /** A search path holding a byte that is not UTF-8 is printed as it is and can be replaced. */
  @Test
  void aLatin1SearchPathIsBytesNotText() throws Exception {
    Path latin = hello.copy("latin", work);
    byte[] bytes = Files.readAllBytes(latin);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("/opt/Xlatin");
    bytes[at + 5] = (byte) 0xe9;
    Files.write(latin, bytes);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        Main.run(
            new String[] {"patchelf", "--print-rpath", latin.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(OutputStream.nullOutputStream()));
    assertThat(code).isZero();
    assertThat(out.toByteArray())
        .isEqualTo("/opt/\u00e9latin\n".getBytes(StandardCharsets.ISO_8859_1));
    String longer = "$ORIGIN/python/lib:$ORIGIN/../lib/embedded-app/python/lib";
    assertThat(cli("patchelf", "--set-rpath", longer, latin.toString())).isEqualTo("exit 0");
    assertThat(Tool.run("patchelf", "--print-rpath", latin.toString()).orFail().stdout())
        .isEqualTo(longer + "\n");
    Hello.assertRuns(latin);
  }

  /** A huge p_align is no page size: the new segment is aligned to a real page. */
  @Test
  void aHugeSegmentAlignmentDoesNotGrowTheFileByIt() throws Exception {
    Path nopie = hello.copy("nopie", work);
    ElfFile elf = ElfFile.read(nopie);
    int load = ElfPatches.programHeader(elf, ProgramHeader.PT_LOAD);
    ElfPatches.putLong(nopie, ElfPatches.programHeaderAt(elf, load) + 48, 1L << 32); // p_align
    long size = Files.size(nopie);
    assertThat(
            cli(
                "patchelf",
                "--set-rpath",
                "$ORIGIN/a/long/enough/path/that/the/string/table/must/grow",
                nopie.toString()))
        .isEqualTo("exit 0");
    assertThat(Files.size(nopie)).isLessThan(size + 64 * 1024);
    Hello.assertRuns(nopie);
  }

  /** A dynamic section without its DT_NULL is refused for prints too, and left as it was. */
  @Test
  void aDynamicSectionWithoutItsTerminatorIsRefused() throws Exception {
    Path pie = hello.copy("pie", work);
    ElfFile elf = ElfFile.read(pie);
    long slots = elf.dynamicSegment.filesz / 16;
    try (FileChannel channel = FileChannel.open(pie, StandardOpenOption.WRITE)) {
      // Fill every slot from the terminator on with DT_DEBUG entries.
      for (long i = elf.dynamic.size(); i < slots; i++) {
        ByteBuffer entry = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        entry.putLong(0, DynamicEntry.DT_DEBUG);
        channel.write(entry, elf.dynamicSegment.offset + i * 16);
      }
    }
    byte[] before = Files.readAllBytes(pie);
    assertThat(cli("patchelf", "--print-rpath", pie.toString()))
        .isEqualTo(
            "exit 1: patchelf: "
                + pie
                + ": .dynamic section has no DT_NULL terminator ("
                + slots
                + " entries at offset "
                + elf.dynamicSegment.offset
                + "): the loader would read past its end, and no entry can be written in place"
                + " (setSubstr: write extends past end of section)\n");
    assertThat(cli("patchelf", "--output", work.resolve("copy").toString(), pie.toString()))
        .startsWith("exit 1: patchelf: " + pie + ": .dynamic section has no DT_NULL terminator");
    assertThat(Files.exists(work.resolve("copy"))).isFalse();
    assertThat(Files.readAllBytes(pie)).isEqualTo(before);
  }

  /** A print-only call never rewrites the file: same bytes, same inode. */
  @Test
  void printsLeaveTheFileAlone() throws Exception {
    Path pie = hello.copy("pie", work);
    Object inode = Files.getAttribute(pie, "unix:ino");
    byte[] before = Files.readAllBytes(pie);
    assertThat(
            cli(
                "patchelf",
                "--print-rpath",
                "--print-needed",
                "--print-soname",
                "--print-interpreter",
                "--print-os-abi",
                "--print-execstack",
                pie.toString()))
        .isEqualTo("exit 0");
    assertThat(Files.getAttribute(pie, "unix:ino")).isEqualTo(inode);
    assertThat(Files.readAllBytes(pie)).isEqualTo(before);
  }

  /**
   * A non-PIE executable grows by a page, as with patchelf: its first segment starts lower and
   * holds the grown tables (it used to gain a segment after .bss: +328 KB on python3.11). The
   * section header table stays last, and a resolution cache note goes on top.
   */
  @Test
  void aNonPieExecutableGrowsByAPage() throws Exception {
    Path python = work.resolve("python3.11");
    Files.copy(Path.of("/usr/bin/python3.11"), python);
    python.toFile().setExecutable(true);
    long before = Files.size(python);
    String rpath = "$ORIGIN/python/lib:$ORIGIN/../lib/embedded-app/python/lib";
    assertThat(cli("patchelf", "--set-rpath", rpath, python.toString())).isEqualTo("exit 0");
    assertThat(Files.size(python)).isEqualTo(before + 4096);
    assertThat(Tool.run(python.toString(), "-c", "print(6 * 7)").orFail().stdout())
        .isEqualTo("42\n");
    assertThat(Tool.run("patchelf", "--print-rpath", python.toString()).orFail().stdout())
        .isEqualTo(rpath + "\n");
    ElfFile patched = ElfFile.read(python);
    assertThat(patched.shoff + (long) patched.shnum * patched.shentsize)
        .isEqualTo(Files.size(python));
    assertThat(Tool.run("readelf", "-lSW", python.toString()).orFail().stderr()).isEmpty();
  }

  /** A string reference outside .dynstr is named when the file is read. */
  @Test
  void aNeededNameOutsideTheStringTableIsNamed() throws Exception {
    Path pie = hello.copy("pie", work);
    ElfFile elf = ElfFile.read(pie);
    int needed = -1;
    for (int i = 0; i < elf.dynamic.size() && needed < 0; i++) {
      if (elf.dynamic.get(i).tag() == DynamicEntry.DT_NEEDED) {
        needed = i;
      }
    }
    ElfPatches.putLong(pie, elf.dynamicSegment.offset + needed * 16L + 8, 1L << 40); // d_val
    assertThat(cli("patchelf", "--print-needed", pie.toString()))
        .isEqualTo(
            "exit 1: patchelf: "
                + pie
                + ": DT_NEEDED: string table index out of bounds (1099511627776, .dynstr has "
                + elf.dynstr.length
                + " bytes): the dynamic section is corrupt\n");
  }
}
