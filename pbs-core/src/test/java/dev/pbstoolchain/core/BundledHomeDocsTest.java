package dev.pbstoolchain.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.testing.ExternalTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's "Finding the bundled Python at run time" is the code the example and the PyO3 IT run
 * (their smoke runs prove it), and its Windows branch compiles.
 */
class BundledHomeDocsTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path EXAMPLE = ROOT.resolve("examples/embedded-app/src/main/c/embedded-app.c");
  static final Path PYO3 = ROOT.resolve("pbs-maven-plugin/src/it/release-pyo3/src/main.rs");

  @TempDir Path work;

  private static List<String> readmeBlocks(String language) throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("## Finding the bundled Python at run time");
    assertThat(start).isNotNegative();
    String section = readme.substring(start, readme.indexOf("\n## ", start + 3));
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(section);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  private static String marked(Path source, String begin, String end) throws Exception {
    String text = Files.readString(source, StandardCharsets.UTF_8);
    int from = text.indexOf(begin);
    assertThat(from).as(begin + " in " + source).isNotNegative();
    from = text.indexOf('\n', from) + 1;
    return text.substring(from, text.indexOf(end, from));
  }

  @Test
  void theExampleRunsTheReadmesCCode() throws Exception {
    assertThat(readmeBlocks("c").get(0))
        .isEqualTo(
            marked(EXAMPLE, "/* --- begin: set_bundled_home", "/* --- end: set_bundled_home"));
    String call = readmeBlocks("c").get(1);
    String example = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
    for (String line : call.strip().split("\n")) {
      assertThat(example).contains(line.replaceAll("\\s*/\\*.*\\*/$", "").strip());
    }
  }

  @Test
  void thePyo3ItRunsTheReadmesRustCode() throws Exception {
    assertThat(readmeBlocks("rust").get(0))
        .isEqualTo(
            marked(PYO3, "// --- begin: start_bundled_python", "// --- end: start_bundled_python"));
  }

  @Test
  void theWindowsBranchCompilesWithMingw() throws Exception {
    // The Python.h of a Linux host does not serve a Windows build: declare what the code uses.
    Files.writeString(
        work.resolve("Python.h"),
        String.join(
            "\n",
            "#include <wchar.h>",
            "typedef struct { int type; const char *msg; } PyStatus;",
            "typedef struct { wchar_t *home; } PyConfig;",
            "PyStatus PyStatus_Error(const char *);",
            "PyStatus PyConfig_SetString(PyConfig *, wchar_t **, const wchar_t *);",
            "PyStatus PyConfig_SetBytesString(PyConfig *, wchar_t **, const char *);",
            ""));
    Path source =
        Files.writeString(
            work.resolve("home.c"),
            "#include <Python.h>\n"
                + readmeBlocks("c").get(0)
                + "PyStatus home(PyConfig *c) { return set_bundled_home(c, \"app\"); }\n");
    for (String compiler : List.of("x86_64-w64-mingw32-gcc", "gcc")) {
      ExternalTool.run(
              compiler,
              "-Wall",
              "-Wextra",
              "-Werror",
              "-I" + work,
              "-c",
              source.toString(),
              "-o",
              work.resolve(compiler + ".o").toString())
          .orFail();
    }
  }
}
