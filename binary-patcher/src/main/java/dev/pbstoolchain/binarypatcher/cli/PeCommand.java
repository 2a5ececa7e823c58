package dev.pbstoolchain.binarypatcher.cli;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.pe.PeFile;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code pe FILE [--beside]}: prints the headers and the imported DLLs like {@code dumpbin /HEADERS
 * /DEPENDENTS}; with {@code --beside}, checks that every python/vcruntime DLL imported is present
 * next to the file (exit 1 when one is missing).
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
      printHeaders(pe, out);
      out.println();
      out.println("  Image has the following dependencies:");
      out.println();
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
        out.println("    " + dll + state);
      }
      return missing ? 1 : 0;
    } catch (BinaryFormatException e) {
      err.println("pe: " + e.getMessage());
      return 2;
    }
  }

  /** The FILE HEADER VALUES and OPTIONAL HEADER VALUES dumpbin /HEADERS prints first. */
  private static void printHeaders(PeFile pe, PrintStream out) {
    PeFile.Headers h = pe.headers();
    out.println("Dump of file " + pe.path());
    out.println();
    out.println("PE signature found");
    out.println();
    out.println("File Type: " + ((h.characteristics() & 0x2000) != 0 ? "DLL" : "EXECUTABLE IMAGE"));
    out.println();
    out.println("FILE HEADER VALUES");
    out.printf("%16X machine (%s)%n", pe.machine(), pe.machineName());
    out.printf("%16X number of sections%n", h.sections());
    out.printf("%16X time date stamp%n", h.timeDateStamp());
    out.printf("%16X characteristics%n", h.characteristics());
    out.println();
    out.println("OPTIONAL HEADER VALUES");
    out.printf(
        "%16X magic # (%s)%n", pe.pe32Plus() ? 0x20b : 0x10b, pe.pe32Plus() ? "PE32+" : "PE32");
    out.printf("%16s linker version%n", h.linkerVersion());
    out.printf("%16X entry point%n", h.entryPoint());
    out.printf("%16X image base%n", h.imageBase());
    out.printf("%16s operating system version%n", h.osVersion());
    out.printf("%16s image version%n", h.imageVersion());
    out.printf("%16s subsystem version%n", h.subsystemVersion());
    out.printf("%16X size of image%n", h.sizeOfImage());
    out.printf("%16X subsystem (%s)%n", h.subsystem(), subsystemName(h.subsystem()));
    out.printf("%16X DLL characteristics%n", h.dllCharacteristics());
  }

  private static String subsystemName(int subsystem) {
    return switch (subsystem) {
      case 1 -> "Native";
      case 2 -> "Windows GUI";
      case 3 -> "Windows CUI";
      case 9 -> "Windows CE GUI";
      case 10 -> "EFI application";
      default -> "unknown";
    };
  }
}
