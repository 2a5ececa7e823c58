package dev.pbstoolchain.binarypatcher.pe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.testing.OurCli;
import dev.pbstoolchain.binarypatcher.testing.Tool;
import dev.pbstoolchain.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PE imports, judged by mingw's objdump, on fixtures and on a program mingw builds here. */
class PeFileTest {

  static final Path FIXTURES = SharedFixtures.of("binaries/pe");

  @TempDir Path work;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "goblin_System.Xml.XDocument.dll",
        "goblin_special_import_forwarder_tls.exe.bin",
        "goblin_well_formed_import.exe.bin",
        "object-testfiles_base-gnu.exe",
        "object-testfiles_base.exe",
        "object-testfiles_export.dll",
        "object-testfiles_import.exe"
      })
  void importsMatchObjdump(String name) throws Exception {
    Path file = FIXTURES.resolve(name);
    assertThat(lower(PeFile.read(file).imports())).isEqualTo(objdumpImports(file));
    assertThat(headerFields(PeFile.read(file))).isEqualTo(objdumpHeaderFields(file));
    assertThat(PeFile.read(file).debugTypes()).isEqualTo(objdumpDebugTypes(file));
  }

  @Test
  void theLinkTimeIsToldFromABreproHash() throws Exception {
    // MSVC with /Brepro: a content hash in the stamp, and a REPRO debug entry saying so.
    PeFile brepro = PeFile.read(FIXTURES.resolve("goblin_System.Xml.XDocument.dll"));
    assertThat(brepro.headers().timeDateStamp()).isNotZero();
    assertThat(brepro.debugTypes()).contains(PeFile.DEBUG_TYPE_REPRO);
    assertThat(brepro.stampsLinkTime()).isFalse();
    // MSVC without it: the link time, 2021-08-24.
    PeFile msvc = PeFile.read(FIXTURES.resolve("object-testfiles_base.exe"));
    assertThat(msvc.debugTypes()).isNotEmpty().doesNotContain(PeFile.DEBUG_TYPE_REPRO);
    assertThat(msvc.stampsLinkTime()).isTrue();
  }

  /** The Type column of the debug directory table objdump -p prints, in order. */
  private static List<Integer> objdumpDebugTypes(Path file) {
    List<Integer> types = new ArrayList<>();
    boolean inTable = false;
    boolean seenDirectory = false;
    for (String line :
        Tool.run("x86_64-w64-mingw32-objdump", "-p", file.toString()).stdout().lines().toList()) {
      if (line.startsWith("There is a debug directory")) {
        seenDirectory = true;
      } else if (seenDirectory && line.startsWith("Type ")) {
        inTable = true;
      } else if (inTable && line.matches("\\s*\\d+\\s+\\S+.*")) {
        types.add(Integer.parseInt(line.strip().split("\\s+")[0]));
      } else if (inTable && !line.isBlank()) {
        break;
      }
    }
    return types;
  }

  /** The dumpbin /HEADERS values, in objdump -p's names and notation. */
  private static Map<String, String> headerFields(PeFile pe) {
    PeFile.Headers h = pe.headers();
    String[] linker = h.linkerVersion().split("\\.");
    String[] os = h.osVersion().split("\\.");
    String[] image = h.imageVersion().split("\\.");
    String[] subsystem = h.subsystemVersion().split("\\.");
    Map<String, String> fields = new java.util.TreeMap<>();
    fields.put("Characteristics", "0x" + Integer.toHexString(h.characteristics()));
    fields.put("Magic", pe.pe32Plus() ? "020b" : "010b");
    fields.put("MajorLinkerVersion", linker[0]);
    fields.put("MinorLinkerVersion", linker[1]);
    // objdump prints addresses at the image's word size.
    String address = pe.pe32Plus() ? "%016x" : "%08x";
    fields.put("AddressOfEntryPoint", String.format(address, h.entryPoint()));
    fields.put("ImageBase", String.format(address, h.imageBase()));
    fields.put("MajorOSystemVersion", os[0]);
    fields.put("MinorOSystemVersion", os[1]);
    fields.put("MajorImageVersion", image[0]);
    fields.put("MinorImageVersion", image[1]);
    fields.put("MajorSubsystemVersion", subsystem[0]);
    fields.put("MinorSubsystemVersion", subsystem[1]);
    fields.put("SizeOfImage", String.format("%08x", h.sizeOfImage()));
    fields.put("Subsystem", String.format("%08x", h.subsystem()));
    fields.put("DllCharacteristics", String.format("%08x", h.dllCharacteristics()));
    return fields;
  }

  private static Map<String, String> objdumpHeaderFields(Path file) {
    Map<String, String> fields = new java.util.TreeMap<>();
    List<String> names =
        List.of(
            "Characteristics",
            "Magic",
            "MajorLinkerVersion",
            "MinorLinkerVersion",
            "AddressOfEntryPoint",
            "ImageBase",
            "MajorOSystemVersion",
            "MinorOSystemVersion",
            "MajorImageVersion",
            "MinorImageVersion",
            "MajorSubsystemVersion",
            "MinorSubsystemVersion",
            "SizeOfImage",
            "Subsystem",
            "DllCharacteristics");
    for (String line :
        Tool.run("x86_64-w64-mingw32-objdump", "-p", file.toString()).stdout().lines().toList()) {
      String[] words = line.strip().split("\\s+");
      if (words.length >= 2 && names.contains(words[0]) && !fields.containsKey(words[0])) {
        fields.put(words[0], words[1]);
      }
    }
    return fields;
  }

  @Test
  void aMingwProgramNeedsItsPythonDllBesideIt() throws Exception {
    Tool.run(
            work,
            Map.of(),
            "x86_64-w64-mingw32-gcc",
            "-shared",
            "-o",
            "python311.dll",
            Tool.source("../pe/python311.c").toString())
        .orFail();
    Path dist = Files.createDirectories(work.resolve("dist"));
    Tool.run(
            work,
            Map.of(),
            "x86_64-w64-mingw32-gcc",
            "-o",
            "dist/app.exe",
            Tool.source("../pe/app.c").toString(),
            "-L.",
            "-lpython311")
        .orFail();
    PeFile app = PeFile.read(dist.resolve("app.exe"));
    assertThat(app.pe32Plus()).isTrue();
    assertThat(app.allImports()).contains("python311.dll");
    assertThat(lower(app.imports())).isEqualTo(objdumpImports(dist.resolve("app.exe")));
    assertThat(headerFields(app)).isEqualTo(objdumpHeaderFields(dist.resolve("app.exe")));
    assertThat(app.headers().subsystem()).isEqualTo(3);
    assertThat(OurCli.run("pe", dist.resolve("app.exe").toString()).out())
        .contains("            8664 machine (x64)")
        .contains("             20B magic # (PE32+)")
        .contains("               3 subsystem (Windows CUI)")
        .contains("  Image has the following dependencies:")
        .contains("    python311.dll");

    String[] check = {"pe", dist.resolve("app.exe").toString(), "--beside"};
    assertThat(OurCli.run(check).status()).isEqualTo(1);
    Files.copy(work.resolve("python311.dll"), dist.resolve("python311.dll"));
    assertThat(OurCli.run(check).status()).isZero();
  }

  @Test
  void nonPeInputIsRefused() throws Exception {
    Path text = Files.writeString(work.resolve("readme.exe"), "MZ but nothing else");
    assertThatThrownBy(() -> PeFile.read(text))
        .isInstanceOf(BinaryFormatException.class)
        .hasMessageContaining("lies past the end of the file");
    Path elf = Path.of("/bin/true");
    assertThatThrownBy(() -> PeFile.read(elf))
        .hasMessage("/bin/true: not a PE file: it does not start with 'MZ'");
  }

  private static List<String> objdumpImports(Path file) {
    String dump = Tool.run("x86_64-w64-mingw32-objdump", "-p", file.toString()).stdout();
    return dump.lines()
        .map(String::strip)
        .filter(l -> l.startsWith("DLL Name: "))
        .map(l -> l.substring("DLL Name: ".length()).toLowerCase(Locale.ROOT))
        .distinct()
        .toList();
  }

  private static List<String> lower(List<String> names) {
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
  }
}
