package dev.pbstoolchain.binarypatcher.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.macho.MachOEditor;
import dev.pbstoolchain.binarypatcher.macho.MachOFile;
import dev.pbstoolchain.binarypatcher.macho.MachOImage;
import java.nio.file.Path;

/**
 * The Mach-O reader and the signature checker on mutated files: they read, verify or refuse with a
 * message, within the fuzzer's time limit, and never throw anything else.
 */
class MachOReadFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void readOrRefuse(byte[] data) {
    fuzzerTestOneInput(data);
  }

  public static void fuzzerTestOneInput(byte[] data) {
    Path file = FuzzInput.of("macho", data).write("macho-read");
    try {
      MachOFile parsed = MachOFile.read(file);
      for (MachOImage image : parsed.images()) {
        image.arch();
        image.installName();
        image.dylibs();
        image.rpaths();
        image.codeSignature();
      }
      MachOEditor.verifySignatures(file);
    } catch (BinaryFormatException e) {
      FuzzInput.checkMessage(e);
    }
  }
}
