package dev.pbstoolchain.binarypatcher.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ELF tests' program, src/test/c/elf/hello.c: built by gcc with the flags a test needs, copied
 * before each edit, and run to show the loader still finds everything.
 */
public final class Hello {

  /** The line hello.c prints. */
  public static final String LINE = "hello from a patched binary\n";

  private Hello() {}

  /** Runs {@code gcc FLAGS -o NAME hello.c} in {@code dir}; returns the program. */
  public static Path gcc(Path dir, String name, String... flags) {
    List<String> command = new ArrayList<>(List.of("gcc"));
    command.addAll(List.of(flags));
    command.addAll(List.of("-o", name, Tool.source("hello.c").toString()));
    Tool.run(dir, Map.of(), command.toArray(String[]::new)).orFail();
    return dir.resolve(name);
  }

  /** A fresh executable copy of {@code built/NAME} at {@code dir/NAME}, for one test to edit. */
  public static Path copy(Path built, String name, Path dir) throws IOException {
    Path target = dir.resolve(name);
    Files.copy(built.resolve(name), target);
    target.toFile().setExecutable(true);
    return target;
  }

  /** The program ran and printed hello.c's line (the loader found everything). */
  public static void assertRuns(Path program) {
    assertThat(Tool.run(program.toString()).orFail().stdout()).isEqualTo(LINE);
  }
}
