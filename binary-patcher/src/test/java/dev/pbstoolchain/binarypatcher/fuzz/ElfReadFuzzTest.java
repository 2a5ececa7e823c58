package dev.pbstoolchain.binarypatcher.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.elf.ElfAudit;
import dev.pbstoolchain.binarypatcher.elf.ElfEdit;
import dev.pbstoolchain.binarypatcher.elf.ElfEditor;
import dev.pbstoolchain.binarypatcher.elf.ElfFile;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The ELF reader on mutated files: it reads them or refuses them with a message, never anything
 * else, and a print-only call (an empty edit) leaves the file byte for byte as it was.
 */
class ElfReadFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void readOrRefuse(byte[] data) {
    fuzzerTestOneInput(data);
  }

  public static void fuzzerTestOneInput(byte[] data) {
    FuzzInput input = FuzzInput.of("elf", data);
    Path file = input.write("elf-read");
    ElfFile elf;
    try {
      elf = ElfFile.read(file);
      elf.interpreter();
      elf.soname();
      elf.runpath();
      elf.rpath();
      elf.needed();
      elf.neededBytes();
      elf.versionNeeds();
      elf.executableStack();
      elf.defaultPageSize();
      ElfAudit.audit(file, ElfAudit.Options.defaults(file.getParent()).withMaxGlibc("2.17"));
    } catch (BinaryFormatException e) {
      FuzzInput.checkMessage(e);
      return;
    }
    try {
      ElfEditor.apply(file, elf, ElfEdit.builder().build());
    } catch (BinaryFormatException e) {
      FuzzInput.checkMessage(e);
    }
    if (!Arrays.equals(FuzzInput.read(file), input.file)) {
      throw FuzzInput.violated("a print-only call changed the file");
    }
  }
}
