package dev.pbstoolchain.binarypatcher.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.macho.MachOEdit;
import dev.pbstoolchain.binarypatcher.macho.MachOEditor;
import dev.pbstoolchain.binarypatcher.macho.MachOFile;
import dev.pbstoolchain.binarypatcher.macho.MachOImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * install_name_tool's edits on mutated files, in place: an edit either succeeds, and the file then
 * reads back with the edit visible and every re-signed slice's signature valid, or is refused with
 * a message and the file is byte for byte unchanged.
 */
class MachOEditFuzzTest {

  static final String NEW_NAME = "@executable_path/python/lib/libpython3.11.dylib";

  @FuzzTest(maxDuration = "5s")
  void editOrRefuse(byte[] data) {
    fuzzerTestOneInput(data);
  }

  public static void fuzzerTestOneInput(byte[] data) {
    FuzzInput input = FuzzInput.of("macho", data);
    Path file = input.write("macho-edit");
    MachOFile before;
    try {
      before = MachOFile.read(file);
    } catch (BinaryFormatException e) {
      FuzzInput.checkMessage(e);
      return;
    }
    MachOImage first = before.images().get(0);
    String dylib = first.dylibs().isEmpty() ? "/usr/lib/libSystem.B.dylib" : first.dylibs().get(0);
    String rpath = first.rpaths().isEmpty() ? "@loader_path/none" : first.rpaths().get(0);
    int choice = input.edit % 8;
    MachOEdit.Builder edit = MachOEdit.builder();
    switch (choice) {
      case 0 -> edit.change(dylib, NEW_NAME);
      case 1 -> edit.addRpath("@loader_path/fuzz");
      case 2 -> edit.deleteRpath(rpath);
      case 3 -> edit.id("/usr/lib/libfuzz.dylib");
      case 4 -> edit.adhocSign();
      case 5 -> edit.prependRpath("@x");
      case 6 -> edit.deleteAllRpaths();
      default -> edit.renameRpath(rpath, "@renamed");
    }
    try {
      MachOEditor.apply(file, edit.build());
    } catch (BinaryFormatException e) {
      input.checkRefusal(e, file);
      return;
    }
    MachOFile after;
    List<String> problems;
    try {
      after = MachOFile.read(file);
      problems = MachOEditor.verifySignatures(file);
    } catch (BinaryFormatException e) {
      throw new AssertionError("edit " + choice + " succeeded but its output does not read", e);
    }
    if (Arrays.equals(FuzzInput.read(file), input.file)) {
      return;
    }
    byte[] output = FuzzInput.read(file);
    for (int i = 0; i < after.images().size(); i++) {
      MachOImage image = after.images().get(i);
      boolean visible =
          switch (choice) {
            case 0 -> !image.dylibs().contains(dylib) || dylib.equals(NEW_NAME);
            case 1 -> image.rpaths().contains("@loader_path/fuzz");
            case 2 -> !image.rpaths().contains(rpath);
            case 3 ->
                image.filetype() != MachOImage.MH_DYLIB
                    || image.installName().isEmpty()
                    || image.installName().get().equals("/usr/lib/libfuzz.dylib");
            case 4 -> image.codeSignature().isPresent();
            case 5 -> image.rpaths().get(0).equals("@x");
            case 6 -> image.rpaths().isEmpty();
            default -> !image.rpaths().contains(rpath) || rpath.equals("@renamed");
          };
      if (!visible) {
        throw FuzzInput.violated("edit " + choice + " succeeded but is not in " + image.arch());
      }
      // A slice the edit left byte for byte as it was keeps the input's signature, valid or not;
      // only one the editor wrote (and so re-signed) must verify.
      boolean untouched =
          i < before.images().size()
              && sameBytes(before.images().get(i), input.file, image, output);
      if (image.codeSignature().isPresent() && !untouched) {
        for (String problem : problems) {
          if (problem.startsWith(image.arch() + ":")) {
            throw FuzzInput.violated("the re-signed slice does not verify: " + problem);
          }
        }
      }
    }
  }

  private static boolean sameBytes(MachOImage a, byte[] aFile, MachOImage b, byte[] bFile) {
    return a.sliceSize() == b.sliceSize()
        && Arrays.equals(
            aFile,
            (int) a.sliceOffset(),
            (int) (a.sliceOffset() + a.sliceSize()),
            bFile,
            (int) b.sliceOffset(),
            (int) (b.sliceOffset() + b.sliceSize()));
  }
}
