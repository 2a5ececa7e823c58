package dev.pbstoolchain.binarypatcher.cli;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.macho.MachOEdit;
import dev.pbstoolchain.binarypatcher.macho.MachOEditor;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code install_name_tool [-change old new]... [-id name] [-add_rpath p]... [-prepend_rpath p]...
 * [-delete_rpath p]... [-delete_all_rpaths] [-rpath old new]... [-adhoc_sign] [-o out] FILE}, as
 * Apple's tool (LLVM's spellings with two dashes are accepted too), in pure Java.
 */
final class InstallNameToolCommand {

  private static final String USAGE =
      "Usage: install_name_tool [-change old new] ... [-rpath old new] ... [-add_rpath new] ..."
          + " [-prepend_rpath new] ... [-delete_rpath old] ... [-delete_all_rpaths] [-id name]"
          + " [-adhoc_sign] [-o output] input";

  private InstallNameToolCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    MachOEdit.Builder edit = MachOEdit.builder();
    Path file = null;
    MachOEdit request;
    try {
      for (int i = 0; i < args.length; i++) {
        String arg = args[i].startsWith("--") ? args[i].substring(1) : args[i];
        switch (arg) {
          case "-change" -> {
            String from = value(args, ++i, "-change");
            edit.change(from, value(args, ++i, "-change"));
          }
          case "-id" -> edit.id(value(args, ++i, "-id"));
          case "-add_rpath" -> edit.addRpath(value(args, ++i, "-add_rpath"));
          case "-prepend_rpath" -> edit.prependRpath(value(args, ++i, "-prepend_rpath"));
          case "-delete_rpath" -> edit.deleteRpath(value(args, ++i, "-delete_rpath"));
          case "-delete_all_rpaths" -> edit.deleteAllRpaths();
          case "-rpath" -> {
            String from = value(args, ++i, "-rpath");
            edit.renameRpath(from, value(args, ++i, "-rpath"));
          }
          case "-adhoc_sign" -> edit.adhocSign();
          case "-o" -> edit.output(Path.of(value(args, ++i, "-o")));
          case "-help", "-h" -> {
            out.println(USAGE);
            return 0;
          }
          case "-version", "-V" -> {
            out.println("install_name_tool (pbs-toolchain binary-patcher " + Main.version() + ")");
            return 0;
          }
          default -> {
            if (args[i].startsWith("-")) {
              throw new IllegalArgumentException("unknown option: " + args[i]);
            }
            if (file != null) {
              throw new IllegalArgumentException(
                  "more than one input file given: " + file + " and " + args[i]);
            }
            file = Path.of(args[i]);
          }
        }
      }
      request = edit.build();
    } catch (IllegalArgumentException e) {
      err.println("error: install_name_tool: " + e.getMessage());
      err.println(USAGE);
      return 1;
    }
    if (file == null) {
      err.println("error: install_name_tool: no input file specified");
      err.println(USAGE);
      return 1;
    }
    if (!Files.exists(file)) {
      err.println(
          "error: install_name_tool: can't open file: " + file + " (No such file or directory)");
      return 1;
    }
    try {
      MachOEditor.apply(file, request);
      return 0;
    } catch (BinaryFormatException e) {
      err.println("error: install_name_tool: " + e.getMessage());
      return 1;
    }
  }

  private static String value(String[] args, int index, String flag) {
    if (index >= args.length) {
      throw new IllegalArgumentException("missing argument to " + flag + " option");
    }
    return args[index];
  }
}
