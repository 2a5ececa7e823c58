package dev.pbstoolchain.core.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.testing.NativeFixtures;
import dev.pbstoolchain.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pbs:patch warns when the Windows binary carries its link time, which would make every zip of the
 * same sources different: judged on DLLs mingw's GNU ld links here, with and without a stamp, and
 * on a real MSVC /Brepro image.
 */
class LinkTimeWarningTest {

  private static final Path SOURCES = Path.of("../test-support/src/main/c").toAbsolutePath();

  @TempDir Path work;

  @Test
  void gnuLdsDefaultStampIsReportedWithTheFix() throws Exception {
    long before = System.currentTimeMillis() / 1000 - 5;
    Path dll = NativeFixtures.mingwDll(SOURCES, work, "python311.dll", Map.of());

    Optional<String> warning = BinaryPatch.linkTimeWarning(dll, Set.of(315532800L));

    assertThat(warning).isPresent();
    assertThat(warning.get())
        .startsWith("python311.dll carries its link time (")
        .contains("so the zip changes with every build")
        .contains("-Wl,--no-insert-timestamp")
        .contains("/Brepro")
        .contains("SOURCE_DATE_EPOCH");
    // The time shown is the link time just now.
    String shown = warning.get().replaceAll(".*link time \\(([^)]*)\\).*", "$1");
    assertThat(java.time.Instant.parse(shown).getEpochSecond()).isGreaterThanOrEqualTo(before);
  }

  @Test
  void anImageLinkedWithoutATimeIsNotReported() throws Exception {
    Path dll =
        NativeFixtures.mingwDll(
            SOURCES, work, "python311.dll", Map.of(), "-Wl,--no-insert-timestamp");

    assertThat(BinaryPatch.linkTimeWarning(dll, Set.of())).isEmpty();
  }

  @Test
  void aStampTheBuildFixedOnPurposeIsNotReported() throws Exception {
    // GNU ld writes SOURCE_DATE_EPOCH as the link time: reproducible, so no warning when the build
    // says that time is its own...
    Path dll =
        NativeFixtures.mingwDll(
            SOURCES, work, "python311.dll", Map.of("SOURCE_DATE_EPOCH", "1700000000"));

    assertThat(BinaryPatch.linkTimeWarning(dll, Set.of(1700000000L))).isEmpty();
    // ...and it is a real stamp, which another build time would report.
    assertThat(BinaryPatch.linkTimeWarning(dll, Set.of(315532800L)))
        .hasValueSatisfying(w -> assertThat(w).contains("(2023-11-14T22:13:20Z)"));
  }

  @Test
  void anMsvcBreproHashIsNotALinkTime() throws Exception {
    Path brepro = SharedFixtures.of("binaries/pe").resolve("goblin_System.Xml.XDocument.dll");
    Path msvc = SharedFixtures.of("binaries/pe").resolve("object-testfiles_base.exe");

    assertThat(BinaryPatch.linkTimeWarning(brepro, Set.of())).isEmpty();
    assertThat(BinaryPatch.linkTimeWarning(msvc, Set.of()))
        .hasValueSatisfying(w -> assertThat(w).contains("(2021-08-24T"));
  }

  @Test
  void aFileThatIsNotPeFailsNamingIt() throws Exception {
    // An ELF program named like an exe (a row's binary: pointing at the Linux build).
    Path elf = Files.copy(Path.of("/bin/true"), work.resolve("app.exe"));

    assertThatThrownBy(() -> BinaryPatch.linkTimeWarning(elf, Set.of()))
        .isInstanceOf(PbsException.class)
        .hasMessageContaining(elf.toString())
        .hasMessageContaining("not a PE file");
  }
}
