package dev.pbstoolchain.binarypatcher.cli;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.elf.DynamicEntry;
import dev.pbstoolchain.binarypatcher.elf.ElfEdit;
import dev.pbstoolchain.binarypatcher.elf.ElfEditor;
import dev.pbstoolchain.binarypatcher.elf.ElfFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code patchelf FLAGS FILE...}: the same flags, printed output and exit status as NixOS patchelf,
 * so scripts can switch by changing the command. Prints describe the file as it was before this
 * call's edits, as patchelf's do.
 */
final class PatchelfCommand {

  private static final String USAGE =
      "syntax: patchelf\n"
          + "  [--set-interpreter FILENAME]\n"
          + "  [--page-size SIZE]\n"
          + "  [--print-interpreter]\n"
          + "  [--print-os-abi]\t\tPrints 'EI_OSABI' field of ELF header\n"
          + "  [--set-os-abi ABI]\t\tSets 'EI_OSABI' field of ELF header to ABI.\n"
          + "  [--print-soname]\n"
          + "  [--set-soname SONAME]\n"
          + "  [--set-rpath RPATH]\n"
          + "  [--add-rpath RPATH]\n"
          + "  [--remove-rpath]\n"
          + "  [--shrink-rpath]\n"
          + "  [--allowed-rpath-prefixes PREFIXES]\n"
          + "  [--print-rpath]\n"
          + "  [--force-rpath]\n"
          + "  [--add-needed LIBRARY]\n"
          + "  [--remove-needed LIBRARY]\n"
          + "  [--replace-needed LIBRARY NEW_LIBRARY]\n"
          + "  [--print-needed]\n"
          + "  [--no-default-lib]\n"
          + "  [--build-resolution-cache]\n"
          + "  [--clear-symbol-version SYMBOL]\n"
          + "  [--add-debug-tag]\n"
          + "  [--print-execstack]\t\tPrints whether the object requests an executable stack\n"
          + "  [--clear-execstack]\n"
          + "  [--set-execstack]\n"
          + "  [--rename-dynamic-symbols NAME_MAP_FILE]\tRenames dynamic symbols. The map file"
          + " should contain two symbols (old_name new_name) per line\n"
          + "  [--output FILE]\n"
          + "  [--version]\n"
          + "  FILENAME...";

  private PatchelfCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    ElfEdit.Builder edit = ElfEdit.builder();
    boolean printInterpreter = false;
    boolean printSoname = false;
    boolean printRpath = false;
    boolean printNeeded = false;
    boolean printOsAbi = false;
    boolean printExecstack = false;
    boolean setRpath = false;
    boolean buildCache = false;
    boolean forceRpath = false;
    boolean addRpath = false;
    Boolean stack = null;
    Path output = null;
    List<Path> files = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--set-interpreter", "--interpreter" -> edit.setInterpreter(value(args, ++i, arg));
          case "--page-size" -> edit.pageSize(pageSize(value(args, ++i, arg)));
          case "--print-interpreter" -> printInterpreter = true;
          case "--print-soname" -> printSoname = true;
          case "--set-soname" -> edit.setSoname(value(args, ++i, arg));
          case "--set-rpath" -> {
            edit.setRunpath(value(args, ++i, arg));
            setRpath = true;
          }
          case "--add-rpath" -> {
            edit.addRunpath(value(args, ++i, arg));
            addRpath = true;
          }
          case "--remove-rpath" -> edit.removeRunpath();
          case "--print-rpath" -> printRpath = true;
          case "--force-rpath" -> {
            edit.forceRpath();
            forceRpath = true;
          }
          case "--shrink-rpath" -> edit.shrinkRunpath();
          case "--allowed-rpath-prefixes" ->
              edit.allowedRpathPrefixes(java.util.List.of(value(args, ++i, arg).split(":")));
          case "--add-needed" -> edit.addNeeded(value(args, ++i, arg));
          case "--remove-needed" -> edit.removeNeeded(value(args, ++i, arg));
          case "--replace-needed" -> {
            String from = value(args, ++i, arg);
            edit.replaceNeeded(from, value(args, ++i, arg));
          }
          case "--print-needed" -> printNeeded = true;
          case "--print-os-abi" -> printOsAbi = true;
          case "--set-os-abi" -> edit.osAbi(OsAbi.parse(value(args, ++i, arg)));
          case "--print-execstack" -> printExecstack = true;
          case "--set-execstack" -> stack = Boolean.TRUE;
          case "--clear-execstack" -> stack = Boolean.FALSE;
          case "--add-debug-tag" -> edit.addDebugTag();
          case "--no-default-lib" -> edit.noDefaultLib();
          case "--build-resolution-cache" -> {
            edit.buildResolutionCache();
            buildCache = true;
          }
          case "--clear-symbol-version" -> edit.clearSymbolVersion(value(args, ++i, arg));
          case "--rename-dynamic-symbols" -> renameMap(value(args, ++i, arg), edit);
          case "--no-sort" -> {
            // patchelf sorts sections when it rewrites them; ours never reorders them.
          }
          case "--output" -> output = Path.of(value(args, ++i, arg));
          case "--debug" -> {
            // patchelf's tracing; nothing to trace here.
          }
          case "--version" -> {
            out.println("patchelf 0.19.0 (pbs-toolchain binary-patcher " + Main.version() + ")");
            return 0;
          }
          case "--help", "-h" -> {
            err.println(USAGE);
            return 0;
          }
          default -> {
            if (arg.startsWith("--")) {
              err.println("patchelf: unknown option '" + arg + "'");
              err.println(USAGE);
              return 1;
            }
            files.add(Path.of(arg));
          }
        }
      }
    } catch (IllegalArgumentException e) {
      err.println("patchelf: " + e.getMessage());
      return 1;
    }
    if (files.isEmpty()) {
      err.println(USAGE);
      return 1;
    }
    if (buildCache && forceRpath) {
      err.println("patchelf: --build-resolution-cache cannot be combined with --force-rpath");
      return 1;
    }
    if (setRpath && addRpath) {
      err.println("patchelf: --set-rpath option not allowed with --add-rpath");
      return 1;
    }
    if (output != null && files.size() > 1) {
      err.println("patchelf: --output option only allowed with single input file");
      return 1;
    }
    if (stack != null && !printExecstack) {
      // patchelf prints the stack flag instead of changing it when both are asked.
      edit.executableStack(stack);
    }
    edit.output(output);
    ElfEdit request = edit.build();
    for (Path file : files) {
      if (!Files.exists(file)) {
        err.println("patchelf: getting info about '" + file + "': No such file or directory");
        return 1;
      }
      try {
        ElfFile elf = ElfFile.read(file);
        if (elf.type() != ElfFile.ET_EXEC && elf.type() != ElfFile.ET_DYN) {
          throw new BinaryFormatException(
              file,
              "wrong ELF type: e_type is "
                  + elf.type()
                  + ", not an executable (2) or shared object (3)");
        }
        if (printInterpreter) {
          if (elf.interpreterBytes().isEmpty()) {
            throw new BinaryFormatException(
                file,
                "cannot find section '.interp'. The input file is most likely statically linked");
          }
          println(out, elf.interpreterBytes().get());
        }
        if (printOsAbi) {
          out.println(OsAbi.name(elf.osAbi()));
        }
        if ((printSoname || printRpath || printNeeded) && !elf.hasDynamicSection()) {
          throw new BinaryFormatException(
              file,
              "cannot find section '.dynamic'. The input file is most likely statically linked");
        }
        if (printSoname) {
          Optional<byte[]> soname = elf.stringBytes(DynamicEntry.DT_SONAME);
          if (soname.isPresent()) {
            println(out, soname.get());
          }
        }
        if (printRpath) {
          println(
              out,
              elf.stringBytes(DynamicEntry.DT_RUNPATH)
                  .or(() -> elf.stringBytes(DynamicEntry.DT_RPATH))
                  .orElse(new byte[0]));
        }
        if (printExecstack) {
          Optional<Boolean> executable = elf.executableStack();
          out.println("execstack: " + (executable.isEmpty() ? '?' : executable.get() ? 'X' : '-'));
        }
        if (printNeeded) {
          for (byte[] needed : elf.neededBytes()) {
            println(out, needed);
          }
        }
        if (request.touchesFile()) {
          for (String warning : elf.warnings()) {
            err.println(warning);
          }
        }
        ElfEditor.apply(file, elf, request, err::println);
      } catch (BinaryFormatException e) {
        err.println("patchelf: " + e.getMessage());
        return 1;
      }
    }
    return 0;
  }

  /** Prints a string from the file as the bytes it is, whatever the platform's encoding. */
  private static void println(PrintStream out, byte[] bytes) {
    out.write(bytes, 0, bytes.length);
    out.println();
  }

  /** Reads patchelf's map file: {@code old new} per line, up to the first empty line. */
  private static void renameMap(String file, ElfEdit.Builder edit) {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot open map file " + file);
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    int number = 1;
    for (String line : lines) {
      String[] words = line.strip().split("\\s+");
      if (words[0].isEmpty()) {
        break;
      }
      String where = file + ":" + number + ": ";
      if (words.length < 2) {
        throw new IllegalArgumentException(where + "Map file line is missing the second element");
      }
      if (!seen.add(words[0])) {
        throw new IllegalArgumentException(
            where + "Name '" + words[0] + "' appears twice in the map file");
      }
      if (words[0].contains("@") || words[1].contains("@")) {
        throw new IllegalArgumentException(
            where + "Name pair contains version tag: " + words[0] + " " + words[1]);
      }
      edit.renameDynamicSymbol(words[0], words[1]);
      number++;
    }
  }

  /** A flag's value; {@code @FILE} stands for the file's content, as with patchelf. */
  private static String value(String[] args, int index, String flag) {
    if (index >= args.length) {
      throw new IllegalArgumentException(flag + " needs an argument");
    }
    String value = args[index];
    if (!value.startsWith("@") || flag.equals("--page-size")) {
      return value;
    }
    Path file = Path.of(value.substring(1));
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "getting info about '" + file + "': No such file or directory");
    } catch (IOException e) {
      throw new IllegalArgumentException("reading '" + file + "': " + e.getMessage());
    }
  }

  private static long pageSize(String text) {
    try {
      long size = Long.decode(text);
      if (size <= 0 || Long.bitCount(size) != 1) {
        throw new IllegalArgumentException("invalid argument to --page-size: " + text);
      }
      return size;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid argument to --page-size: " + text);
    }
  }
}
