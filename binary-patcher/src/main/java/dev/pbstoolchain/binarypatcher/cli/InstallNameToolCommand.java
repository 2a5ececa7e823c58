package dev.pbstoolchain.binarypatcher.cli;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.macho.MachOEdit;
import dev.pbstoolchain.binarypatcher.macho.MachOEditor;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code install_name_tool [-change old new]... [-id name] [-add_rpath p]... [-delete_rpath p]...
 * [-rpath old new]... [-adhoc_sign] [-o out] FILE}, as Apple's tool, in pure Java.
 */
final class InstallNameToolCommand {

  private static final String USAGE =
      "Usage: install_name_tool [-change old new] ... [-rpath old new] ... [-add_rpath new] ..."
          + " [-delete_rpath old] ... [-id name] [-adhoc_sign] input";

  private InstallNameToolCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    MachOEdit.Builder edit = MachOEdit.builder();
    Path file = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "-change" -> {
            String from = value(args, ++i, "-change");
            edit.change(from, value(args, ++i, "-change"));
          }
          case "-id" -> edit.id(value(args, ++i, "-id"));
          case "-add_rpath" -> edit.addRpath(value(args, ++i, "-add_rpath"));
          case "-delete_rpath" -> edit.deleteRpath(value(args, ++i, "-delete_rpath"));
          case "-rpath" -> {
            String from = value(args, ++i, "-rpath");
            edit.renameRpath(from, value(args, ++i, "-rpath"));
          }
          case "-adhoc_sign" -> edit.adhocSign();
          case "-o" -> edit.output(Path.of(value(args, ++i, "-o")));
          default -> {
            if (args[i].startsWith("-") || file != null) {
              throw new IllegalArgumentException("unknown option: " + args[i]);
            }
            file = Path.of(args[i]);
          }
        }
      }
    } catch (IllegalArgumentException e) {
      err.println("error: install_name_tool: " + e.getMessage());
      err.println(USAGE);
      return 1;
    }
    if (file == null) {
      err.println(USAGE);
      return 1;
    }
    if (!Files.exists(file)) {
      err.println(
          "error: install_name_tool: can't open file: " + file + " (No such file or directory)");
      return 1;
    }
    try {
      MachOEditor.apply(file, edit.build());
      return 0;
    } catch (BinaryFormatException e) {
      err.println("error: install_name_tool: " + e.getMessage());
      return 1;
    }
  }

  private static String value(String[] args, int index, String flag) {
    if (index >= args.length) {
      throw new IllegalArgumentException("missing argument(s) to: " + flag + " option");
    }
    return args[index];
  }
}
