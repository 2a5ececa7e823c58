package dev.pbstoolchain.binarypatcher.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.identity.Architecture.FloatAbi;
import dev.pbstoolchain.binarypatcher.testing.Tool;
import dev.pbstoolchain.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The architecture of real binaries of every kind in ../shared/fixtures/binaries, judged by {@code
 * file}, and 32-bit ARM float ABIs told apart each way a file can say it.
 */
class BinaryIdentityTest {

  static final Path FIXTURES = SharedFixtures.of("binaries");

  /** How {@code file} names each ELF machine the fixtures hold. */
  private static final Map<Integer, String> FILE_ELF_MACHINES =
      Map.of(
          Architecture.EM_X86_64, "x86-64",
          Architecture.EM_AARCH64, "ARM aarch64",
          Architecture.EM_386, "Intel 80386",
          Architecture.EM_ARM, "ARM, EABI5",
          Architecture.EM_PPC64, "64-bit PowerPC",
          Architecture.EM_PPC, "PowerPC or cisco 4500",
          Architecture.EM_S390, "IBM S/390",
          Architecture.EM_MIPS, "MIPS",
          Architecture.EM_SPARC32PLUS, "SPARC32PLUS");

  @TempDir Path work;

  static Stream<Path> fixtures(String kind) throws IOException {
    return Files.list(FIXTURES.resolve(kind)).filter(Files::isRegularFile).sorted();
  }

  static Stream<Path> elfFixtures() throws IOException {
    return fixtures("elf");
  }

  static Stream<Path> machOFixtures() throws IOException {
    return fixtures("macho");
  }

  static Stream<Path> peFixtures() throws IOException {
    return fixtures("pe");
  }

  static Stream<Path> malformedMachO() throws IOException {
    return fixtures("macho/malformed");
  }

  private static String file(Path path) {
    return Tool.run("file", "-b", path.toString()).orFail().stdout();
  }

  @ParameterizedTest
  @MethodSource("elfFixtures")
  void elfClassByteOrderAndMachineAreWhatFileSays(Path fixture) throws Exception {
    BinaryIdentity identity = BinaryIdentity.read(fixture);
    Architecture elf = identity.images().get(0);
    String file = file(fixture);
    assertThat(identity.universal()).isFalse();
    assertThat(elf.format()).isEqualTo(Architecture.Format.ELF);
    assertThat(file)
        .startsWith("ELF " + elf.bits() + "-bit " + (elf.bigEndian() ? "MSB" : "LSB"))
        .contains(FILE_ELF_MACHINES.get(elf.machine()));
  }

  @ParameterizedTest
  @MethodSource("machOFixtures")
  void everyMachOSliceIsWhatFileSays(Path fixture) throws Exception {
    BinaryIdentity identity = BinaryIdentity.read(fixture);
    String file = file(fixture);
    assertThat(identity.universal()).isEqualTo(file.startsWith("Mach-O universal binary"));
    if (identity.universal()) {
      assertThat(file).contains("with " + identity.images().size() + " architectures");
    }
    for (Architecture slice : identity.images()) {
      // file: "Mach-O 64-bit arm64 executable", and per slice of a universal binary the same.
      assertThat(file).contains(slice.description() + " ");
    }
  }

  @ParameterizedTest
  @MethodSource("peFixtures")
  void peWidthAndMachineAreWhatFileSays(Path fixture) throws Exception {
    Architecture pe = BinaryIdentity.read(fixture).images().get(0);
    String file = file(fixture);
    assertThat(file).startsWith(pe.bits() == 64 ? "PE32+ executable" : "PE32 executable");
    assertThat(file).contains(pe.description().substring(pe.description().indexOf(' ') + 1));
  }

  @ParameterizedTest
  @MethodSource("malformedMachO")
  void malformedMachOIsReadOrRefusedNeverCrashes(Path fixture) {
    try {
      BinaryIdentity.read(fixture);
    } catch (BinaryFormatException e) {
      assertThat(e.getMessage()).startsWith(fixture.toString());
    }
  }

  @Test
  void aUniversalHeaderThatDisagreesWithItsSliceIsRefused() {
    Path fixture = FIXTURES.resolve("macho/malformed/ruby-macho_llvm_macho-invalid-fat_cputype");
    assertThatThrownBy(() -> BinaryIdentity.read(fixture))
        .isInstanceOf(BinaryFormatException.class)
        .hasMessageContaining("slice 0");
  }

  @Test
  void aUniversalHeaderWithoutSlicesIsRefused() {
    Path fixture = FIXTURES.resolve("macho/malformed/ruby-macho_llvm_macho-invalid-fat-header");
    assertThatThrownBy(() -> BinaryIdentity.read(fixture))
        .hasMessage(fixture + ": a Mach-O universal binary without slices (nfat_arch is 0)");
  }

  @Test
  void descriptionsReadLikeFile() throws Exception {
    assertThat(BinaryIdentity.read(FIXTURES.resolve("elf/object-testfiles_base")).description())
        .isEqualTo("ELF 64-bit x86-64");
    assertThat(
            BinaryIdentity.read(FIXTURES.resolve("elf/patchelf_endianness_ppc64_main"))
                .description())
        .isEqualTo("ELF 64-bit MSB PowerPC64");
    assertThat(
            BinaryIdentity.read(FIXTURES.resolve("macho/ruby-macho_fat-i386-x86_64_hello.bin"))
                .description())
        .isEqualTo("Mach-O universal binary (i386, x86_64)");
    assertThat(BinaryIdentity.read(FIXTURES.resolve("pe/object-testfiles_base.exe")).description())
        .isEqualTo("PE32 Intel 80386");
  }

  @Test
  void armFloatAbiFromTheBuildAttributesTheEabiFlagsAndTheLoader() throws Exception {
    // Debian armhf of 2010: no EABI5 float flag in e_flags (0x5000002); the attributes say VFP.
    Path debianArmhf = FIXTURES.resolve("elf/patchelf_no-rpath-armhf");
    assertThat(floatAbi(debianArmhf)).isEqualTo(FloatAbi.HARD);
    assertThat(BinaryIdentity.read(debianArmhf).description())
        .isEqualTo("ELF 32-bit ARM hard-float");
    // Without its attributes, the loader it names (ld-linux-armhf.so.3) still tells.
    Path noAttributes = work.resolve("armhf-no-attributes");
    Tool.run(
            "llvm-objcopy-16",
            "--remove-section=.ARM.attributes",
            debianArmhf.toString(),
            noAttributes.toString())
        .orFail();
    assertThat(Tool.run("readelf", "-A", noAttributes.toString()).stdout()).isBlank();
    assertThat(floatAbi(noAttributes)).isEqualTo(FloatAbi.HARD);

    Path source = Files.writeString(work.resolve("m.c"), "int main(void) { return 0; }\n");
    for (String abi : List.of("gnueabihf", "gnueabi")) {
      FloatAbi expected = abi.equals("gnueabihf") ? FloatAbi.HARD : FloatAbi.SOFT;
      // An object file: attributes only (clang leaves e_flags' float bits clear).
      Path object = work.resolve(abi + ".o");
      Tool.run(
              "clang-16",
              "--target=armv7-linux-" + abi,
              "-c",
              source.toString(),
              "-o",
              object.toString())
          .orFail();
      assertThat(Tool.run("readelf", "-h", object.toString()).stdout()).contains("0x5000000");
      assertThat(floatAbi(object)).isEqualTo(expected);
      // Linked by lld: the EABI5 float flag in e_flags.
      Path linked = work.resolve(abi + ".elf");
      Tool.run(
              "clang-16",
              "--target=armv7-linux-" + abi,
              "-fuse-ld=lld",
              "-nostdlib",
              "-static",
              "-Wl,-e,main",
              "-o",
              linked.toString(),
              source.toString())
          .orFail();
      assertThat(Tool.run("readelf", "-h", linked.toString()).stdout())
          .contains(abi.equals("gnueabihf") ? "hard-float ABI" : "soft-float ABI");
      assertThat(floatAbi(linked)).isEqualTo(expected);
      TargetArchitecture hf = TargetArchitecture.of("armv7-unknown-linux-gnueabihf").orElseThrow();
      assertThat(hf.accepts(BinaryIdentity.read(linked).images().get(0)))
          .isEqualTo(expected == FloatAbi.HARD);
    }
  }

  private static FloatAbi floatAbi(Path file) throws BinaryFormatException {
    return BinaryIdentity.read(file).images().get(0).floatAbi();
  }

  @Test
  void eachTripleExpectsItsOwnArchitecture() {
    Map<String, String> expected =
        Map.ofEntries(
            Map.entry("x86_64-unknown-linux-gnu", "ELF 64-bit x86-64"),
            Map.entry("x86_64_v3-unknown-linux-musl", "ELF 64-bit x86-64"),
            Map.entry("aarch64-unknown-linux-gnu", "ELF 64-bit ARM aarch64"),
            Map.entry("i686-unknown-linux-gnu", "ELF 32-bit Intel 80386"),
            Map.entry("armv7-unknown-linux-gnueabihf", "ELF 32-bit ARM hard-float"),
            Map.entry("armv7-unknown-linux-gnueabi", "ELF 32-bit ARM soft-float"),
            Map.entry("ppc64le-unknown-linux-gnu", "ELF 64-bit PowerPC64"),
            Map.entry("s390x-unknown-linux-gnu", "ELF 64-bit MSB IBM S/390"),
            Map.entry("riscv64-unknown-linux-gnu", "ELF 64-bit RISC-V"),
            Map.entry("aarch64-apple-darwin", "Mach-O 64-bit arm64"),
            Map.entry("x86_64-apple-darwin", "Mach-O 64-bit x86_64"),
            Map.entry("x86_64-pc-windows-msvc", "PE32+ x86-64"),
            Map.entry("x86_64-pc-windows-gnu", "PE32+ x86-64"),
            Map.entry("i686-pc-windows-msvc", "PE32 Intel 80386"),
            Map.entry("aarch64-pc-windows-msvc", "PE32+ Aarch64"));
    expected.forEach(
        (triple, description) ->
            assertThat(TargetArchitecture.of(triple).orElseThrow().description())
                .as(triple)
                .isEqualTo(description));
    assertThat(TargetArchitecture.of("wasm32-wasi")).isEmpty();
  }

  @Test
  void mismatchesNameWhatTheBinaryIs() throws Exception {
    TargetArchitecture arm64 = TargetArchitecture.of("aarch64-unknown-linux-gnu").orElseThrow();
    assertThat(arm64.mismatch(BinaryIdentity.read(FIXTURES.resolve("elf/object-testfiles_base"))))
        .contains("ELF 64-bit x86-64");
    assertThat(
            arm64.mismatch(
                BinaryIdentity.read(FIXTURES.resolve("elf/object-testfiles_base-aarch64"))))
        .isEmpty();
    // ppc64 (big-endian) in a ppc64le row: same class and machine, other byte order.
    assertThat(
            TargetArchitecture.of("ppc64le-unknown-linux-gnu")
                .orElseThrow()
                .mismatch(
                    BinaryIdentity.read(FIXTURES.resolve("elf/patchelf_endianness_ppc64_main"))))
        .contains("ELF 64-bit MSB PowerPC64");
    // A universal binary: every slice must match the row, which ships one Python.
    TargetArchitecture intelMac = TargetArchitecture.of("x86_64-apple-darwin").orElseThrow();
    assertThat(
            intelMac.mismatch(
                BinaryIdentity.read(
                    FIXTURES.resolve("macho/ruby-macho_fat-i386-x86_64_hello.bin"))))
        .contains("Mach-O universal binary (i386, x86_64), whose Mach-O i386 slice does not match");
    TargetArchitecture windows = TargetArchitecture.of("x86_64-pc-windows-msvc").orElseThrow();
    assertThat(
            windows.mismatch(BinaryIdentity.read(FIXTURES.resolve("pe/object-testfiles_base.exe"))))
        .contains("PE32 Intel 80386");
  }

  @Test
  void whatIsNoBinaryIsRefusedByName() throws Exception {
    Path script = Files.writeString(work.resolve("app"), "#!/bin/sh\necho hi\n");
    assertThatThrownBy(() -> BinaryIdentity.read(script))
        .isInstanceOf(BinaryFormatException.class)
        .hasMessage(
            script
                + ": not an ELF, Mach-O or PE file (it starts with 23 21 2f 62): is it the built"
                + " program?");
    // A Java class file shares the universal magic; its version numbers are no slice count.
    Path classFile =
        Files.write(
            work.resolve("A.class"),
            new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61, 0, 0});
    assertThatThrownBy(() -> BinaryIdentity.read(classFile))
        .hasMessageContaining("not an ELF, Mach-O or PE file");
    Path truncated = work.resolve("truncated");
    Files.write(
        truncated,
        java.util.Arrays.copyOf(
            Files.readAllBytes(FIXTURES.resolve("pe/object-testfiles_import.exe")), 0x40));
    assertThatThrownBy(() -> BinaryIdentity.read(truncated))
        .hasMessageContaining("the PE/COFF header")
        .hasMessageContaining("lies outside the file of 64 bytes");
  }
}
