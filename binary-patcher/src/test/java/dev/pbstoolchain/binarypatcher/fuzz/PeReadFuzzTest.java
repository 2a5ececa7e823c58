package dev.pbstoolchain.binarypatcher.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.pe.PeFile;
import java.nio.file.Path;

/** The PE reader on mutated files: it reads them or refuses them with a message, nothing else. */
class PeReadFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void readOrRefuse(byte[] data) {
    fuzzerTestOneInput(data);
  }

  public static void fuzzerTestOneInput(byte[] data) {
    Path file = FuzzInput.of("pe", data).write("pe-read");
    try {
      PeFile pe = PeFile.read(file);
      pe.allImports();
      pe.machineName();
      pe.stampsLinkTime();
    } catch (BinaryFormatException e) {
      FuzzInput.checkMessage(e);
    }
  }
}
