package dev.pbstoolchain.binarypatcher.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An {@link ElfFile} is a read model: applying edits to it leaves it as read, so one parsed file
 * can serve several edits and each output is the one a fresh read would give.
 */
class ElfReadModelTest {

  @TempDir Path work;

  private static final String LONG = "/opt/" + "long-directory-name/".repeat(40) + "lib";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "patchelf_no-rpath-amd64",
        "patchelf_no-rpath-i386",
        "object-testfiles_base",
        "object-testfiles_libbase.so",
        "patchelf_endianness_ppc64_main"
      })
  void editsOnOneParsedFileMatchEditsOnFreshReads(String name) throws Exception {
    Path input = ElfFixturesTest.FIXTURES.resolve(name);
    byte[] before = Files.readAllBytes(input);
    List<ElfEdit.Builder> edits =
        List.of(
            ElfEdit.builder().setRunpath(LONG),
            ElfEdit.builder().addNeeded("libextra-" + "x".repeat(300) + ".so"),
            ElfEdit.builder().setRunpath("$ORIGIN/lib"));
    ElfFile shared = ElfFile.read(input);
    for (int i = 0; i < edits.size(); i++) {
      Path fromShared = work.resolve(i + "-shared");
      Path fromFresh = work.resolve(i + "-fresh");
      ElfEditor.apply(input, shared, edits.get(i).output(fromShared).build());
      ElfEditor.apply(input, ElfFile.read(input), edits.get(i).output(fromFresh).build());
      assertThat(Files.readAllBytes(fromShared))
          .as("edit %d of %s on the shared read model", i, name)
          .isEqualTo(Files.readAllBytes(fromFresh));
    }
    assertThat(Files.readAllBytes(input)).isEqualTo(before);
  }
}
