package dev.pbstoolchain.binarypatcher.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.pe.PeFile;

/** The PE reader on mutated files: it reads them or refuses them with a message, nothing else. */
class PeReadFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void readOrRefuse(byte[] data) {
    fuzzerTestOneInput(data);
  }

  public static void fuzzerTestOneInput(byte[] data) {
    FuzzInput.seeds("pe");
    try {
      PeFile pe = PeFile.read(FuzzInput.of(data).write("pe-read"));
      pe.allImports();
      pe.machineName();
      pe.stampsLinkTime();
    } catch (BinaryFormatException e) {
      FuzzInput.checkMessage(e);
    }
  }
}
