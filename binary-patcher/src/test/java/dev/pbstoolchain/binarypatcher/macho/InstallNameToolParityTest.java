package dev.pbstoolchain.binarypatcher.macho;

import static dev.pbstoolchain.binarypatcher.macho.MachOTest.checker;
import static dev.pbstoolchain.binarypatcher.testing.OurCli.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.binarypatcher.testing.Tool;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install_name_tool's semantics as Apple's cctools and LLVM's llvm-install-name-tool share them
 * (LLVM 16's own test scenarios, on a real arm64 program), judged by llvm-otool and an independent
 * signature checker.
 */
class InstallNameToolParityTest {

  @TempDir static Path built;
  @TempDir Path work;

  @BeforeAll
  static void link() {
    MachOTest.buildProgram(built, "arm64", "arm64-apple-macos11", "11.0", "app");
  }

  private Path app() throws Exception {
    return Files.copy(built.resolve("app"), work.resolve("app"));
  }

  private static List<String> rpaths(Path file) {
    return Tool.run("llvm-otool-16", "-l", file.toString())
        .orFail()
        .stdout()
        .lines()
        .map(String::strip)
        .filter(l -> l.startsWith("path "))
        .map(l -> l.substring(5, l.indexOf(" (offset")))
        .toList();
  }

  private static void assertSigned(Path file) {
    assertThat(cli("codesign", "--verify", file.toString())).isEqualTo("exit 0");
    assertThat(Tool.run("python3", checker(), file.toString()).orFail().stdout()).startsWith("ok ");
  }

  @Test
  void prependedPathsComeFirstEachBeforeTheOneBefore() throws Exception {
    Path app = app();
    assertThat(cli("install_name_tool", "-add_rpath", "@last", app.toString())).isEqualTo("exit 0");
    assertThat(
            cli(
                "install_name_tool",
                "-prepend_rpath",
                "@one",
                "--prepend_rpath",
                "@two",
                app.toString()))
        .isEqualTo("exit 0");
    assertThat(rpaths(app)).containsExactly("@two", "@one", "@last");
    assertThat(Tool.run("llvm-otool-16", "-l", app.toString()).orFail().stdout())
        .contains(
            "Load command 0\n          cmd LC_RPATH\n      cmdsize 24\n         path @two (offset 12)");
    assertSigned(app);

    assertThat(cli("install_name_tool", "-delete_all_rpaths", "-add_rpath", "@one", app.toString()))
        .isEqualTo("exit 0");
    assertThat(rpaths(app)).containsExactly("@one");
    assertSigned(app);
  }

  /** Apple and LLVM take the first -change of a name and never chain one into another. */
  @Test
  void theFirstChangeOfANameCountsAndChangesDoNotChain() throws Exception {
    Path app = app();
    String old = "/install/lib/libpython3.11.dylib";
    assertThat(
            cli(
                "install_name_tool",
                "-change",
                old,
                "@a/libpython.dylib",
                "-change",
                old,
                "@b/libpython.dylib",
                "-change",
                "@a/libpython.dylib",
                "@c/libpython.dylib",
                app.toString()))
        .isEqualTo("exit 0");
    assertThat(Tool.run("llvm-otool-16", "-L", app.toString()).orFail().stdout())
        .contains("\t@a/libpython.dylib (compatibility version")
        .doesNotContain("@b/")
        .doesNotContain("@c/");
    assertSigned(app);
  }

  /** -id on an executable is ignored by both tools: exit 0 and not one byte changes. */
  @Test
  void anIdOnAnExecutableChangesNothing() throws Exception {
    Path app = app();
    byte[] before = Files.readAllBytes(app);
    assertThat(cli("install_name_tool", "-id", "/usr/lib/libx.dylib", app.toString()))
        .isEqualTo("exit 0");
    assertThat(Files.readAllBytes(app)).isEqualTo(before);
    assertThat(cli("install_name_tool", "-id", "", app.toString()))
        .startsWith("exit 1: error: install_name_tool: cannot specify an empty id\n");
  }

  @Test
  void contradictoryOptionsAreRefusedBeforeTheFileIsRead() throws Exception {
    Path app = app();
    byte[] before = Files.readAllBytes(app);
    String[][] cases = {
      {"-add_rpath", "@x", "-add_rpath", "@x"},
      {"-add_rpath", "@x", "-delete_rpath", "@x"},
      {"-prepend_rpath", "@x", "-delete_rpath", "@x"},
      {"-prepend_rpath", "@x", "-rpath", "@x", "@y"},
      {"-rpath", "@a", "@b", "-rpath", "@b", "@c"},
      {"-rpath", "@a", "@b", "-delete_rpath", "@a"},
      {"-rpath", "@a", "@b", "-add_rpath", "@a"},
      {"-change"},
    };
    String[] messages = {
      "rpath '@x' would create a duplicate load command",
      "cannot specify both -add_rpath '@x' and -delete_rpath '@x'",
      "cannot specify both -prepend_rpath '@x' and -delete_rpath '@x'",
      "cannot specify both -prepend_rpath '@x' and -rpath '@x' '@y'",
      "cannot specify both -rpath '@a' '@b' and -rpath '@b' '@c'",
      "cannot specify both -delete_rpath '@a' and -rpath '@a' '@b'",
      "cannot specify both -add_rpath '@a' and -rpath '@a' '@b'",
      "missing argument to -change option",
    };
    for (int i = 0; i < cases.length; i++) {
      String[] args = new String[cases[i].length + 2];
      args[0] = "install_name_tool";
      System.arraycopy(cases[i], 0, args, 1, cases[i].length);
      args[args.length - 1] = app.toString();
      assertThat(cli(args)).startsWith("exit 1: error: install_name_tool: " + messages[i] + "\n");
    }
    assertThat(cli("install_name_tool", "-add_rpath", "@x"))
        .startsWith("exit 1: error: install_name_tool: no input file specified\n");
    assertThat(Files.readAllBytes(app)).isEqualTo(before);

    // Renaming onto a path the file already has would make two commands of it.
    assertThat(cli("install_name_tool", "-add_rpath", "@x", app.toString())).isEqualTo("exit 0");
    assertThat(cli("install_name_tool", "-add_rpath", "@y", app.toString())).isEqualTo("exit 0");
    byte[] two = Files.readAllBytes(app);
    assertThat(cli("install_name_tool", "-rpath", "@x", "@y", app.toString()))
        .startsWith(
            "exit 1: error: install_name_tool: "
                + app
                + ": rpath '@y' would create a duplicate load command");
    assertThat(Files.readAllBytes(app)).isEqualTo(two);
  }

  /** A linker's placeholder signature (all zeros) is replaced by a valid ad-hoc one. */
  @Test
  void aZeroFilledSignatureIsSignedAnew() throws Exception {
    Path app = app();
    MachOImage image = MachOFile.read(app).images().get(0);
    ByteBuffer sig = ByteBuffer.wrap(image.codeSignature().get().bytes());
    sig.order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel = FileChannel.open(app, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate(sig.getInt(12)), sig.getInt(8));
    }
    assertThat(cli("codesign", "--verify", app.toString())).startsWith("exit 1");
    assertThat(cli("install_name_tool", "-add_rpath", "@executable_path/lib", app.toString()))
        .isEqualTo("exit 0");
    assertSigned(app);
    assertThat(Tool.run("python3", checker(), app.toString()).orFail().stdout())
        .startsWith("ok ident=app flags=0x2 ");
  }
}
