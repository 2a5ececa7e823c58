package dev.pbstoolchain.binarypatcher.testing;

import dev.pbstoolchain.testing.ExternalTool;
import dev.pbstoolchain.testing.TestSources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The binary-patcher tests' short names for test-support's process runner and C sources. */
public final class Tool {

  private Tool() {}

  public static ExternalTool.Result run(String... command) {
    return ExternalTool.run(command);
  }

  public static ExternalTool.Result run(Path cwd, Map<String, String> env, String... command) {
    return ExternalTool.run(cwd, env, command);
  }

  /** Builds a command line from pieces, for readability at call sites. */
  public static String[] cmd(Object... parts) {
    List<String> list = new ArrayList<>();
    for (Object part : parts) {
      list.add(part.toString());
    }
    return list.toArray(String[]::new);
  }

  /** A test C file: this module's src/test/c/elf, else the ones test-support shares. */
  public static Path source(String name) {
    Path own = Path.of("src/test/c/elf", name).toAbsolutePath();
    return own.toFile().exists() ? own : TestSources.c(name);
  }
}
