package dev.pbstoolchain.binarypatcher.cli;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.pe.PeFile;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code pe FILE [--beside]}: lists imported DLLs; with {@code --beside}, checks that every
 * python/vcruntime DLL imported is present next to the file (exit 1 when one is missing).
 */
final class PeCommand {

  private PeCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 1 || args.length > 2) {
      err.println("usage: pe FILE [--beside]");
      return 2;
    }
    Path file = Path.of(args[0]);
    try {
      PeFile pe = PeFile.read(file);
      boolean missing = false;
      for (String dll : pe.allImports()) {
        boolean bundled = dll.startsWith("python") || dll.startsWith("vcruntime");
        Path beside = file.toAbsolutePath().resolveSibling(dll);
        String state = "";
        if (args.length == 2 && bundled) {
          boolean present = Files.exists(beside);
          missing |= !present;
          state = present ? "  (beside the exe)" : "  MISSING beside the exe";
        }
        out.println(dll + state);
      }
      return missing ? 1 : 0;
    } catch (BinaryFormatException e) {
      err.println("pe: " + e.getMessage());
      return 2;
    }
  }
}
