package dev.pbstoolchain.binarypatcher.cli;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.macho.MachOEdit;
import dev.pbstoolchain.binarypatcher.macho.MachOEditor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code codesign --verify FILE}: checks every slice's ad-hoc signature and says what is wrong;
 * {@code codesign -s - FILE}: signs ad hoc (replacing any signature).
 */
final class CodesignCommand {

  private CodesignCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 2 && (args[0].equals("--verify") || args[0].equals("-v"))) {
      Path file = Path.of(args[1]);
      try {
        List<String> problems = MachOEditor.verifySignatures(file);
        if (problems.isEmpty()) {
          out.println(file + ": valid on disk");
          return 0;
        }
        for (String problem : problems) {
          err.println(file + ": invalid signature: " + problem);
        }
        return 1;
      } catch (BinaryFormatException e) {
        err.println("error: codesign: " + e.getMessage());
        return 1;
      }
    }
    if (args.length == 3 && args[0].equals("-s") && args[1].equals("-")) {
      try {
        MachOEditor.apply(Path.of(args[2]), MachOEdit.builder().adhocSign().build());
        return 0;
      } catch (BinaryFormatException e) {
        err.println("error: codesign: " + e.getMessage());
        return 1;
      }
    }
    err.println("usage: codesign --verify FILE | codesign -s - FILE");
    return 1;
  }
}
