package dev.pbstoolchain.plugin.release;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.elf.ElfEdit;
import dev.pbstoolchain.binarypatcher.elf.ElfEditor;
import dev.pbstoolchain.plugin.pbs.PbsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Makes the built binary find the bundled runtime: a RUNPATH on Linux. The user's binary is left as
 * built; the patched copy goes to the stage directory the packagers read.
 */
public final class BinaryPatch {

  /** The default search path: the tar.gz layout, then the deb/rpm layout. */
  public static String defaultRunpath(String app) {
    return "$ORIGIN/python/lib:$ORIGIN/../lib/" + app + "/python/lib";
  }

  private BinaryPatch() {}

  /** Patches {@code target.binary()} into {@code stage}; returns the staged binary. */
  public static Path apply(ReleaseTarget target, String runpath, Path stage) throws PbsException {
    if (!Files.isRegularFile(target.binary())) {
      throw PbsException.configuration(
          target.binary()
              + " does not exist: build the app for "
              + target.triple()
              + " first (matrix.yaml binary:), or fix the path");
    }
    Path staged = stage.resolve(target.binary().getFileName());
    try {
      Files.createDirectories(stage);
      if (target.isLinux()) {
        ElfEditor.apply(
            target.binary(), ElfEdit.builder().setRunpath(runpath).output(staged).build());
      } else {
        // Mach-O and PE binaries are staged unchanged: Windows finds DLLs beside the exe, and
        // Mach-O editing is reported by pbs:verify when the binary does not name the bundle.
        Files.copy(
            target.binary(),
            staged,
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.COPY_ATTRIBUTES);
      }
      return staged;
    } catch (BinaryFormatException e) {
      throw PbsException.failure(e.getMessage(), e);
    } catch (IOException e) {
      throw PbsException.failure("Cannot stage " + target.binary() + ": " + e.getMessage(), e);
    }
  }
}
