package dev.pbstoolchain.binarypatcher.elf;

import static dev.pbstoolchain.binarypatcher.testing.OurCli.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.binarypatcher.testing.Tool;
import dev.pbstoolchain.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real binaries of many machines and both byte orders (../shared/fixtures/binaries/elf): our
 * set-rpath must read back in readelf exactly like patchelf's.
 */
class ElfFixturesTest {

  static final Path FIXTURES = SharedFixtures.of("binaries/elf");

  @TempDir Path work;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "goblin_symver_lib32.so",
        "goblin_symver_lib64.so",
        "goblin_symver_prog32",
        "goblin_symver_prog64",
        "object-testfiles_base",
        "object-testfiles_base-aarch64",
        "object-testfiles_base-mips64el",
        "object-testfiles_base-mold-2.2",
        "object-testfiles_base-relr-x86_64",
        "object-testfiles_libbase.so",
        "patchelf_endianness_ppc64_libtest.so",
        "patchelf_endianness_ppc64_main",
        "patchelf_endianness_ppc64le_libtest.so",
        "patchelf_endianness_ppc64le_main",
        "patchelf_no-rpath-amd64",
        "patchelf_no-rpath-armhf",
        "patchelf_no-rpath-i386",
        "patchelf_no-rpath-mips",
        "patchelf_no-rpath-mipsel",
        "patchelf_no-rpath-pie-powerpc",
        "patchelf_no-rpath-powerpc",
        "patchelf_no-rpath-s390",
        "patchelf_no-rpath-sparc"
      })
  void setRpathReadsBackLikePatchelf(String name) throws Exception {
    Path ours = copy(name, "ours");
    Path theirs = copy(name, "theirs");
    Tool.run("patchelf", "--set-rpath", ElfEditorTest.BUNDLE_RPATH, theirs.toString()).orFail();
    assertThat(cli("patchelf", "--set-rpath", ElfEditorTest.BUNDLE_RPATH, ours.toString()))
        .isEqualTo("exit 0");

    DynamicView.assertSame(ours, theirs);
    ElfFile reread = ElfFile.read(ours);
    assertThat(reread.runpath()).contains(ElfEditorTest.BUNDLE_RPATH);
    // Section headers still describe .dynstr where the dynamic section says it is.
    assertThat(Tool.run("readelf", "-p", ".dynstr", ours.toString()).orFail().stdout())
        .contains(ElfEditorTest.BUNDLE_RPATH);
  }

  @Test
  void patchedBinariesOfOtherMachinesStillRun() throws IOException {
    Path x86 = copy("object-testfiles_base", "x86");
    Path arm = copy("object-testfiles_base-aarch64", "arm");
    for (Path file : List.of(x86, arm)) {
      assertThat(cli("patchelf", "--set-rpath", ElfEditorTest.BUNDLE_RPATH, file.toString()))
          .isEqualTo("exit 0");
    }
    assertThat(Tool.run(x86.toString()).orFail().stdout()).isEqualTo("Hello, world");
    assertThat(
            Tool.run(
                    null,
                    Map.of(),
                    "qemu-aarch64-static",
                    "-L",
                    "/usr/aarch64-linux-gnu",
                    arm.toString())
                .orFail()
                .stdout())
        .isEqualTo("Hello, world");
    // 64 KiB pages on aarch64: the new segment is aligned for them.
    assertThat(Tool.run("readelf", "-lW", arm.toString()).orFail().stdout())
        .containsPattern("LOAD .* R   0x10000");
  }

  @Test
  void aFileWithoutSectionHeadersIsPatchedWherePatchelfGivesUp() throws IOException {
    Path stripped = copy("object-testfiles_base-strip", "stripped");
    assertThat(Tool.run("patchelf", "--set-rpath", "/x", stripped.toString()).exitCode())
        .isEqualTo(1);
    assertThat(cli("patchelf", "--set-rpath", ElfEditorTest.BUNDLE_RPATH, stripped.toString()))
        .isEqualTo("exit 0");
    // patchelf cannot read it back either (it needs section headers); readelf follows PT_DYNAMIC.
    assertThat(DynamicView.of(stripped).strings())
        .contains("RUNPATH=" + ElfEditorTest.BUNDLE_RPATH);
    assertThat(Tool.run(stripped.toString()).orFail().stdout()).isEqualTo("Hello, world");
  }

  private Path copy(String name, String dir) throws IOException {
    Path target = work.resolve(dir).resolve(name);
    Files.createDirectories(target.getParent());
    Files.copy(FIXTURES.resolve(name), target, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    return target;
  }
}
