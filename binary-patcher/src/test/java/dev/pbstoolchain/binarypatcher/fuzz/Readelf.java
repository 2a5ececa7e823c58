package dev.pbstoolchain.binarypatcher.fuzz;

import dev.pbstoolchain.binarypatcher.testing.Tool;
import dev.pbstoolchain.testing.ExternalTool;
import java.nio.file.Path;

/** binutils' readelf as a judge of the relocation tables of a fuzz target's input and output. */
final class Readelf {

  private Readelf() {}

  /**
   * Whether to run readelf at all: yes, unless {@code -Dpbs.fuzz.readelf=false} (fuzz.sh's {@code
   * READELF=false}), which trades this judge for many more executions per second in a long run (two
   * processes per grown output cost more than the edit itself).
   */
  static boolean judging() {
    return !"false".equals(System.getProperty("pbs.fuzz.readelf"));
  }

  /**
   * What {@code readelf FLAGS FILE} prints (with its warnings after), the tables' file offsets left
   * out (the layout may move a table; its address and entries must stay); null when readelf does
   * not read the file cleanly (exit code or a warning), so it has no verdict to keep.
   */
  static String relocations(String flags, Path file) {
    ExternalTool.Result result = Tool.run("readelf", flags, file.toString());
    String text =
        (result.stdout() + result.stderr())
            .replaceAll("at offset 0x[0-9a-f]+", "at offset -")
            .replace(file.toString(), "FILE");
    return result.exitCode() != 0 || !result.stderr().isEmpty() ? null : text;
  }
}
