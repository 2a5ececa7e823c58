package dev.pbstoolchain.core.patch;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.elf.ElfEdit;
import dev.pbstoolchain.binarypatcher.elf.ElfEditor;
import dev.pbstoolchain.binarypatcher.macho.MachOEdit;
import dev.pbstoolchain.binarypatcher.macho.MachOEditor;
import dev.pbstoolchain.binarypatcher.macho.MachOFile;
import dev.pbstoolchain.binarypatcher.macho.MachOImage;
import dev.pbstoolchain.binarypatcher.pe.PeFile;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.release.ReleaseTarget;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Makes the built binary find the bundled runtime: a RUNPATH on Linux. The user's binary is left as
 * built; the patched copy goes to the stage directory the packagers read.
 */
public final class BinaryPatch {

  /** The default search path: the tar.gz layout, then the deb/rpm layout. */
  public static String defaultRunpath(String app) {
    return ReleaseLayouts.linuxRunpath(app);
  }

  /** Where a macOS release's libpython sits, relative to the binary. */
  public static final String DARWIN_LIB_DIR = "@executable_path/python/lib";

  private BinaryPatch() {}

  /**
   * What fits how the binary names libpython: PBS before 20251209 uses the install name {@code
   * /install/lib/libpython3.X.dylib} (change it); later ones use {@code @rpath/...} (add an
   * LC_RPATH). The result is always ad-hoc signed: arm64 macOS kills unsigned programs.
   */
  static MachOEdit.Builder darwinEdit(Path binary) throws BinaryFormatException, PbsException {
    MachOEdit.Builder edit = MachOEdit.builder().adhocSign();
    boolean found = false;
    for (MachOImage image : MachOFile.read(binary).images()) {
      for (String dylib : image.dylibs()) {
        String name = dylib.substring(dylib.lastIndexOf('/') + 1);
        if (!name.startsWith("libpython")) {
          continue;
        }
        found = true;
        if (dylib.startsWith("@rpath/")) {
          if (!image.rpaths().contains(DARWIN_LIB_DIR)) {
            edit.addRpath(DARWIN_LIB_DIR);
          }
        } else if (!dylib.startsWith("@executable_path/") && !dylib.startsWith("@loader_path/")) {
          edit.change(dylib, DARWIN_LIB_DIR + "/" + name);
        }
      }
    }
    if (!found) {
      throw PbsException.configuration(
          binary + " does not link libpython: is it the app that embeds Python?");
    }
    return edit;
  }

  private static void checkWindowsImports(ReleaseTarget target)
      throws BinaryFormatException, PbsException {
    for (String dll : PeFile.read(target.binary()).allImports()) {
      if (dll.startsWith("python") && !Files.exists(target.home().resolve(dll))) {
        throw PbsException.configuration(
            target.binary()
                + " imports "
                + dll
                + ", which the bundled Python ("
                + target.home()
                + ") does not have: build against the same CPython version as pbs.version");
      }
    }
  }

  /**
   * Why a Windows binary will make a different zip on every build, if it will: GNU ld and link.exe
   * write the link time into the PE header unless told not to, and the exe ships as built.
   *
   * @param fixedTimes stamps a reproducible build sets on purpose (GNU ld takes SOURCE_DATE_EPOCH),
   *     in seconds since 1970
   */
  public static Optional<String> linkTimeWarning(Path exe, Set<Long> fixedTimes)
      throws PbsException {
    PeFile pe;
    try {
      pe = PeFile.read(exe);
    } catch (BinaryFormatException e) {
      throw PbsException.failure(e.getMessage(), e);
    }
    long stamp = pe.headers().timeDateStamp();
    if (!pe.stampsLinkTime() || fixedTimes.contains(stamp)) {
      return Optional.empty();
    }
    return Optional.of(
        exe.getFileName()
            + " carries its link time ("
            + Instant.ofEpochSecond(stamp)
            + ") in its PE header, so the zip changes with every build of it. Link it with"
            + " -Wl,--no-insert-timestamp (GNU ld; for Rust's *-windows-gnu targets RUSTFLAGS="
            + "\"-C link-arg=-Wl,--no-insert-timestamp\"), with /Brepro (MSVC link.exe;"
            + " RUSTFLAGS=\"-C link-arg=/Brepro\"), or set SOURCE_DATE_EPOCH for the native build");
  }

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
      } else if (target.isDarwin()) {
        MachOEditor.apply(target.binary(), darwinEdit(target.binary()).output(staged).build());
      } else {
        checkWindowsImports(target);
        // Windows finds DLLs beside the exe: the binary ships as built.
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
