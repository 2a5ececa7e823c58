package dev.pbstoolchain.core.exclude;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.core.PbsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Excluded modules' files leave the shipped tree, and only they; the tree remembers it. */
class ShippedExclusionTest {

  @TempDir Path pbsDir;
  private Path outside;
  private Path home;
  private Path readline;

  @BeforeEach
  void tree() throws Exception {
    home = Files.createDirectories(pbsDir.resolve("python"));
    // Beside the shipped tree, as anything a link in it may lead to.
    outside = Files.createDirectories(pbsDir.resolve("elsewhere"));
    Path dynload = Files.createDirectories(home.resolve("lib/python3.11/lib-dynload"));
    readline = Files.writeString(dynload.resolve("readline.cpython-311-x86_64-linux-gnu.so"), "so");
    Files.writeString(dynload.resolve("_ssl.cpython-311-x86_64-linux-gnu.so"), "so");
    Path tcl = Files.createDirectories(home.resolve("lib/tcl8.6/encoding"));
    Files.writeString(tcl.resolve("ascii.enc"), "enc");
    Files.writeString(outside.resolve("keep.txt"), "mine");
    Files.createSymbolicLink(tcl.resolve("link"), outside);
  }

  @Test
  void removesTheModulesFilesAndDirectoriesAndRemembersThem() throws Exception {
    var gone =
        ShippedExclusion.apply(
            pbsDir,
            home,
            Set.of("readline", "_tkinter"),
            Set.of(
                "lib/python3.11/lib-dynload/readline.cpython-311-x86_64-linux-gnu.so",
                "lib/tcl8.6/",
                "lib/tk8.6/"));
    assertThat(gone)
        .containsExactly(
            "lib/python3.11/lib-dynload/readline.cpython-311-x86_64-linux-gnu.so", "lib/tcl8.6/");
    assertThat(readline).doesNotExist();
    assertThat(home.resolve("lib/tcl8.6")).doesNotExist();
    assertThat(home.resolve("lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so"))
        .exists();
    // A link inside a removed directory goes; what it points to stays.
    assertThat(outside.resolve("keep.txt")).hasContent("mine");
    assertThat(ShippedExclusion.removed(pbsDir)).containsExactly("_tkinter", "readline");
    assertThat(ShippedExclusion.lacksWanted(pbsDir, Set.of("readline", "_tkinter"))).isFalse();
    assertThat(ShippedExclusion.lacksWanted(pbsDir, Set.of("_tkinter"))).isTrue();
    assertThat(ShippedExclusion.lacksWanted(pbsDir, Set.of())).isTrue();
  }

  @Test
  void aTreeNoBuildPrunedLacksNothing() throws Exception {
    assertThat(ShippedExclusion.lacksWanted(pbsDir, Set.of())).isFalse();
    assertThat(ShippedExclusion.removed(pbsDir)).isEmpty();
  }

  @Test
  void pathsLeavingTheTreeAreRefusedAndNothingOutsideIsTouched() throws Exception {
    for (String path : new String[] {"../python-other/x", "lib/../../x", "", "/"}) {
      assertThatThrownBy(() -> ShippedExclusion.apply(pbsDir, home, Set.of("m"), Set.of(path)))
          .as(path)
          .isInstanceOf(PbsException.class)
          .hasMessageContaining("nothing was deleted");
    }
    assertThatThrownBy(
            () ->
                ShippedExclusion.apply(
                    pbsDir, home, Set.of("m"), Set.of("lib/tcl8.6/encoding/link/keep.txt")))
        .isInstanceOf(PbsException.class)
        .hasMessageContaining("through a link");
    assertThat(outside.resolve("keep.txt")).hasContent("mine");
    assertThat(ShippedExclusion.removed(pbsDir)).isEmpty();
  }
}
