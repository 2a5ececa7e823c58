package dev.pbstoolchain.binarypatcher.macho;

import static dev.pbstoolchain.binarypatcher.testing.OurCli.cli;
import static dev.pbstoolchain.binarypatcher.testing.OurCli.cliOut;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.testing.Tool;
import dev.pbstoolchain.testing.SharedFixtures;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mach-O editing judged by Apple's own install_name_tool outputs (golden files), llvm-otool, a real
 * arm64 program linked by ld64.lld, and an independent signature checker.
 */
class MachOTest {

  static final Path FIXTURES = SharedFixtures.of("binaries/macho");
  static final String BUNDLED = "@executable_path/python/lib/libpython3.11.dylib";

  @TempDir static Path built;
  @TempDir Path work;

  /** A real arm64 program whose libpython has PBS's old install name, linker-signed. */
  @BeforeAll
  static void link() {
    buildProgram(built, "arm64", "arm64-apple-macos11", "11.0", "app");
  }

  /**
   * Compiles and links the test program in {@code dir} for one architecture: a stub libSystem, a
   * libpython with PBS's {@code /install/lib/...} install name, and the app linked against both,
   * with room for longer install names as Apple recommends for release builds.
   */
  static void buildProgram(Path dir, String arch, String target, String minimum, String app) {
    for (String name : List.of("app", "libpython", "libsystem")) {
      Tool.run(
              dir,
              Map.of(),
              "clang-16",
              "-target",
              target,
              "-c",
              Tool.source("../macho/" + name + ".c").toString(),
              "-o",
              name + ".o")
          .orFail();
    }
    String[] platform = {"-arch", arch, "-platform_version", "macos", minimum, minimum};
    run(
        dir,
        platform,
        "-dylib",
        "-install_name",
        "/usr/lib/libSystem.B.dylib",
        "libsystem.o",
        "-o",
        "libSystem.B.dylib");
    run(
        dir,
        platform,
        "-dylib",
        "-install_name",
        "/install/lib/libpython3.11.dylib",
        "libpython.o",
        "-o",
        "libpython3.11.dylib",
        "-L.",
        "-lSystem.B");
    run(
        dir,
        platform,
        "app.o",
        "-o",
        app,
        "-L.",
        "-lpython3.11",
        "-lSystem.B",
        "-headerpad_max_install_names");
  }

  private static void run(Path dir, String[] platform, String... args) {
    String[] command = new String[1 + platform.length + args.length];
    command[0] = "ld64.lld-16";
    System.arraycopy(platform, 0, command, 1, platform.length);
    System.arraycopy(args, 0, command, 1 + platform.length, args.length);
    Tool.run(dir, Map.of(), command).orFail();
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @CsvSource({
    "ruby-macho_x86_64_hello.bin, -change, /usr/lib/libSystem.B.dylib, test, ruby-macho_x86_64_hello_expected.bin",
    "ruby-macho_x86_64_hello.bin, -rpath, made_up_path, /usr/lib, ruby-macho_x86_64_hello_rpath_expected.bin",
    "ruby-macho_x86_64_libhello.dylib, -id, test, , ruby-macho_x86_64_libhello_expected.dylib",
    "ruby-macho_fat-i386-x86_64_hello.bin, -change, /usr/lib/libSystem.B.dylib, test, ruby-macho_fat-i386-x86_64_hello_expected.bin",
    "ruby-macho_fat-i386-x86_64_libhello.dylib, -id, test, , ruby-macho_fat-i386-x86_64_libhello_expected.dylib"
  })
  void matchesApplesInstallNameToolByteForByte(
      String input, String flag, String a, String b, String expected) throws Exception {
    Path file = copy(input);
    String result =
        b == null
            ? cli("install_name_tool", flag, a, file.toString())
            : cli("install_name_tool", flag, a, b, file.toString());
    assertThat(result).isEqualTo("exit 0");
    assertThat(file).hasSameBinaryContentAs(FIXTURES.resolve(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "goblin_hello_world_fat_binaries",
        "object-testfiles_base-aarch64",
        "object-testfiles_base-x86_64",
        "object-testfiles_fixup-chains-arm64.dylib",
        "object-testfiles_libexports.dylib",
        "ruby-macho_fat-i386-x86_64_libhello.dylib",
        "ruby-macho_x86_64_dylib_use_command-weak-delay.bin",
        "ruby-macho_x86_64_hello_unk_lc.bin"
      })
  void otoolListsLibrariesLikeLlvmOtool(String name) throws Exception {
    Path file = FIXTURES.resolve(name);
    MachOFile parsed = MachOFile.read(file);
    StringBuilder theirsL = new StringBuilder();
    for (MachOImage image : parsed.images()) {
      // llvm-otool prints one slice per call; Apple's otool prints each under a header.
      String slice =
          Tool.run("llvm-otool-16", "-L", thin(parsed, image).toString()).orFail().stdout();
      theirsL.append(
          parsed.fat() ? file + " (architecture " + image.arch() + "):\n" : file + ":\n");
      theirsL.append(slice.substring(slice.indexOf('\n') + 1));
    }
    assertThat(cliOut("otool", "-L", file.toString())).isEqualTo(theirsL.toString());
    // The name/path lines of -l agree too.
    String ours = cliOut("otool", "-l", file.toString());
    StringBuilder theirs = new StringBuilder();
    for (MachOImage image : parsed.images()) {
      theirs.append(
          Tool.run("llvm-otool-16", "-l", thin(parsed, image).toString()).orFail().stdout());
    }
    assertThat(pathLines(ours)).isEqualTo(pathLines(theirs.toString()));
  }

  /** The slice as a thin file (llvm-otool 16 ignores -arch and always shows the first slice). */
  private Path thin(MachOFile file, MachOImage image) {
    if (!file.fat()) {
      return file.path();
    }
    Path thin = work.resolve(image.arch() + ".thin");
    Tool.run(
            "llvm-lipo-16",
            "-thin",
            image.arch(),
            file.path().toString(),
            "-output",
            thin.toString())
        .orFail();
    return thin;
  }

  private static List<String> pathLines(String listing) {
    return listing
        .lines()
        .map(String::strip)
        .filter(l -> l.startsWith("name ") || l.startsWith("path "))
        .toList();
  }

  @Test
  void aLinkerSignedArm64ProgramIsRepointedAndReSignedAdHoc() throws Exception {
    Path app = Files.copy(built.resolve("app"), work.resolve("app"));
    assertThat(Tool.run("python3", checker(), app.toString()).orFail().stdout())
        .startsWith("ok ident=app flags=0x20002");
    assertThat(
            cli(
                "install_name_tool",
                "-change",
                "/install/lib/libpython3.11.dylib",
                BUNDLED,
                "-add_rpath",
                "@executable_path/python/lib",
                app.toString()))
        .isEqualTo("exit 0");
    assertThat(Tool.run("llvm-otool-16", "-L", app.toString()).orFail().stdout())
        .contains("\t" + BUNDLED + " (compatibility version");
    assertThat(Tool.run("llvm-otool-16", "-l", app.toString()).orFail().stdout())
        .contains("path @executable_path/python/lib (offset 12)");
    // codesign -s - semantics: ad hoc (not linker-signed), the original identifier, requirements.
    String check = Tool.run("python3", checker(), app.toString()).orFail().stdout();
    assertThat(check).startsWith("ok ident=app flags=0x2 version=0x20400").contains("special=2");
    assertThat(cli("codesign", "--verify", app.toString())).isEqualTo("exit 0");

    // One flipped byte in the code is caught by both judges.
    try (FileChannel channel = FileChannel.open(app, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {0x42}), 0x4001);
    }
    assertThat(Tool.run("python3", checker(), app.toString()).exitCode()).isEqualTo(1);
    assertThat(cli("codesign", "--verify", app.toString()))
        .startsWith("exit 1: " + app + ": invalid signature: arm64: page 4 (bytes 16384..)");
  }

  @Test
  void entitlementsAreCarriedOverAndFatSlicesStayValid() throws Exception {
    Path signed = copy("object-testfiles_base-aarch64-codesign");
    assertThat(cli("install_name_tool", "-add_rpath", "@loader_path/x", signed.toString()))
        .isEqualTo("exit 0");
    assertThat(Tool.run("python3", checker(), signed.toString()).orFail().stdout())
        .startsWith("ok ident=base-aarch64 flags=0x2")
        .contains("special=7");

    Path fat = copy("goblin_hello_world_fat_binaries");
    assertThat(cli("install_name_tool", "-add_rpath", "@loader_path/x", fat.toString()))
        .isEqualTo("exit 0");
    assertThat(Tool.run("llvm-lipo-16", "-info", fat.toString()).orFail().stdout())
        .contains("x86_64 arm64");
    assertThat(Tool.run("python3", checker(), fat.toString()).orFail().stdout())
        .isEqualTo(
            "unsigned\nok ident=hello_world_arm flags=0x2 version=0x20400 pages=9 special=2\n"
                .replace("pages=9", pagesOf(fat)));
    Path thin = work.resolve("thin");
    Tool.run("llvm-lipo-16", "-thin", "arm64", fat.toString(), "-output", thin.toString()).orFail();
    assertThat(cli("codesign", "--verify", thin.toString())).isEqualTo("exit 0");
  }

  @Test
  void aFatFileWhoseSlicesMustGrowIsLaidOutAgain() throws Exception {
    // An unsigned x86_64 slice beside the linker-signed arm64 one.
    buildProgram(work, "x86_64", "x86_64-apple-macos10.12", "10.12", "app-x86_64");
    Path fat = work.resolve("universal-app");
    Tool.run(
            "llvm-lipo-16",
            "-create",
            work.resolve("app-x86_64").toString(),
            built.resolve("app").toString(),
            "-output",
            fat.toString())
        .orFail();
    String before = Tool.run("python3", checker(), fat.toString()).orFail().stdout();
    assertThat(before).startsWith("unsigned\nok ident=app ");

    assertThat(
            cli(
                "install_name_tool",
                "-change",
                "/install/lib/libpython3.11.dylib",
                BUNDLED,
                "-adhoc_sign",
                fat.toString()))
        .isEqualTo("exit 0");

    assertThat(Tool.run("llvm-lipo-16", "-info", fat.toString()).orFail().stdout())
        .contains("x86_64 arm64");
    String after = Tool.run("python3", checker(), fat.toString()).orFail().stdout();
    assertThat(after.lines())
        .hasSize(2)
        .allMatch(l -> l.startsWith("ok ident="))
        .first()
        .asString()
        .startsWith("ok ident=universal-app ");
    for (String arch : List.of("x86_64", "arm64")) {
      assertThat(Tool.run("llvm-otool-16", "-arch", arch, "-L", fat.toString()).orFail().stdout())
          .as(arch)
          .contains(BUNDLED)
          .doesNotContain("/install/lib/");
      Path thin = work.resolve("thin-" + arch);
      Tool.run("llvm-lipo-16", "-thin", arch, fat.toString(), "-output", thin.toString()).orFail();
      assertThat(cli("codesign", "--verify", thin.toString())).as(arch).isEqualTo("exit 0");
    }
    try (var files = Files.list(work)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  private static String pagesOf(Path fat) {
    String out = Tool.run("python3", checker(), fat.toString()).stdout();
    int at = out.indexOf("pages=");
    return out.substring(at, out.indexOf(' ', at));
  }

  @Test
  void anUnsignedProgramCanBeSignedAdHoc() throws Exception {
    Path app = copy("object-testfiles_base-x86_64");
    assertThat(cli("codesign", "--verify", app.toString()))
        .isEqualTo(
            "exit 1: " + app + ": invalid signature: x86_64: code object is not signed at all\n");
    assertThat(cli("install_name_tool", "-adhoc_sign", app.toString())).isEqualTo("exit 0");
    assertThat(Tool.run("python3", checker(), app.toString()).orFail().stdout())
        .startsWith("ok ident=object-testfiles_base-x86_64 flags=0x2");
    assertThat(Tool.run("llvm-otool-16", "-l", app.toString()).orFail().stdout())
        .contains("cmd LC_CODE_SIGNATURE");
  }

  /**
   * A signature made with a certificate carries a CMS blob with content. The rcodesign-signed
   * fixture has an empty one (8 bytes) followed by padding; growing its length field to 16 turns it
   * into a stand-in for an identity signature without moving anything else.
   */
  @Test
  void aCertificateSignatureIsNotReplacedUnlessAskedFor() throws Exception {
    Path app = copy("object-testfiles_base-aarch64-codesign");
    try (java.nio.channels.FileChannel channel =
        java.nio.channels.FileChannel.open(
            app, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate((int) channel.size());
      channel.read(file, 0);
      file.order(java.nio.ByteOrder.LITTLE_ENDIAN);
      int dataoff = -1;
      int datasize = -1;
      for (int i = 0, at = 32; i < file.getInt(16); i++, at += file.getInt(at + 4)) {
        if (file.getInt(at) == 0x1d) {
          dataoff = file.getInt(at + 8);
          datasize = file.getInt(at + 12);
        }
      }
      file.order(java.nio.ByteOrder.BIG_ENDIAN);
      int cms = -1;
      for (int i = 0; i < file.getInt(dataoff + 8); i++) {
        if (file.getInt(dataoff + 12 + 8 * i) == 0x10000) {
          cms = file.getInt(dataoff + 16 + 8 * i);
        }
      }
      assertThat(cms).isPositive();
      assertThat(file.getInt(dataoff + cms + 4)).isEqualTo(8);
      assertThat(cms + 16).isLessThanOrEqualTo(datasize);
      channel.write(java.nio.ByteBuffer.allocate(4).putInt(0, 16), dataoff + cms + 4L);
    }
    byte[] before = Files.readAllBytes(app);

    assertThat(cli("install_name_tool", "-add_rpath", "@executable_path/lib", app.toString()))
        .isEqualTo(
            "exit 1: error: install_name_tool: "
                + app
                + ": "
                + app
                + " (for architecture arm64) is signed with a certificate; editing it would"
                + " invalidate that signature. Re-sign it yourself after editing, or pass"
                + " -adhoc_sign to replace it with an ad-hoc signature (signing with a certificate"
                + " is out of scope)\n");
    assertThat(Files.readAllBytes(app)).isEqualTo(before);

    assertThat(
            cli(
                "install_name_tool",
                "-adhoc_sign",
                "-add_rpath",
                "@executable_path/lib",
                app.toString()))
        .isEqualTo("exit 0");
    assertThat(Tool.run("python3", checker(), app.toString()).orFail().stdout()).startsWith("ok ");
    assertThat(Tool.run("llvm-otool-16", "-l", app.toString()).orFail().stdout())
        .contains("path @executable_path/lib");
  }

  @Test
  void whatDoesNotFitFailsBeforeWritingAndNamesTheFix() throws Exception {
    Path dylib = copy("object-testfiles_libexports.dylib");
    byte[] before = Files.readAllBytes(dylib);
    assertThat(
            cli(
                "install_name_tool",
                "-add_rpath",
                "@loader_path/a/very/long/path/that/does/not/fit",
                dylib.toString()))
        .isEqualTo(
            "exit 1: error: install_name_tool: "
                + dylib
                + ": the edited load commands of "
                + dylib
                + " (for architecture arm64) need 1120 bytes but the header has room for 1088"
                + " (the first section starts at offset 1120); nothing was written. Relink the"
                + " binary with -headerpad_max_install_names to leave room for longer paths\n");
    assertThat(Files.readAllBytes(dylib)).isEqualTo(before);

    Path hello = copy("ruby-macho_x86_64_hello.bin");
    assertThat(cli("install_name_tool", "-delete_rpath", "/nowhere", hello.toString()))
        .isEqualTo(
            "exit 1: error: install_name_tool: "
                + hello
                + ": no LC_RPATH load command with path: /nowhere found in: "
                + hello
                + " (for architecture x86_64), required for specified option \"-delete_rpath"
                + " /nowhere\"\n");
    assertThat(cli("install_name_tool", "-add_rpath", "made_up_path", hello.toString()))
        .isEqualTo(
            "exit 1: error: install_name_tool: "
                + hello
                + ": rpath 'made_up_path' would create a duplicate load command: "
                + hello
                + " (for architecture x86_64) already has LC_RPATH made_up_path; drop that"
                + " -add_rpath\n");
    assertThat(cli("install_name_tool", "-delete_rpath", "made_up_path", hello.toString()))
        .isEqualTo("exit 0");
    assertThat(Tool.run("llvm-otool-16", "-l", hello.toString()).orFail().stdout())
        .doesNotContain("LC_RPATH");
  }

  @ParameterizedTest
  @CsvSource({
    "ruby-macho_big-endian.macho, big-endian Mach-O (PowerPC)",
    "ruby-macho_invalid-lcstr-offset.macho, lc_str offset",
    "ruby-macho_llvm_macho-invalid-fat-header, invalid fat header",
    "ruby-macho_llvm_macho-invalid-fat_cputype, fat_arch 0",
    "ruby-macho_load-cmdsize-too-large.macho, runs past sizeofcmds",
    "ruby-macho_load-cmdsize-too-small.macho, smaller than its own header",
    "ruby-macho_truncated-load-command-region.macho, run past the end of the image",
    "ruby-macho_truncated-load-commands.macho, truncated load commands",
    "ruby-macho_unaligned-cmdsize.macho, not a multiple of 8"
  })
  void malformedFilesAreRefusedClearly(String name, String reason) {
    Path file = FIXTURES.resolve("malformed").resolve(name);
    assertThatThrownBy(() -> MachOFile.read(file))
        .isInstanceOf(BinaryFormatException.class)
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining(reason);
  }

  private Path copy(String name) throws Exception {
    Path target = work.resolve(name);
    Files.copy(FIXTURES.resolve(name), target, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    return target;
  }

  static String checker() {
    return Path.of("src/test/python/check_codesign.py").toAbsolutePath().toString();
  }
}
