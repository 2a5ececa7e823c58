package dev.pbstoolchain.core.matrix;

import dev.pbstoolchain.core.matrix.Shape.Block;
import dev.pbstoolchain.core.matrix.Shape.Key;
import dev.pbstoolchain.core.matrix.Shape.ListOf;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The matrix.yaml reference page (docs/matrix.md), written from {@link MatrixSchema}: every key of
 * every block with its type, default and meaning, and an example using them all.
 */
public final class MatrixReference {

  private MatrixReference() {}

  /** The page, in Markdown. */
  public static String markdown() {
    StringBuilder page = new StringBuilder();
    page.append(
        """
        # matrix.yaml reference

        <!-- Generated from MatrixSchema (pbs-core) by MatrixSchemaTest; do not edit. To change a key,
             edit its declaration, then run
             ./mvnw -pl pbs-core test -Dtest=MatrixSchemaTest -Dpbs.updateDocs=true -->

        `matrix.yaml` tells `mvn package` (and `pbs-cli`) which python-build-standalone release to
        ship, what the app is, and which artifacts to make for which targets. It lives beside the
        POM (`pbs.matrix` points elsewhere).

        Every key is checked when the build starts: a key not listed here, a value of the wrong
        type or outside its choices stops the build with the file, line and column, e.g.
        `matrix.yaml:7:3: unknown key 'maintaner' in app (did you mean 'maintainer'?); valid keys:
        ...`. Quote values YAML would otherwise read as numbers, booleans or dates (`"0640"`,
        `"3.10.1"`, `"yes"`).

        The same rules are published as a JSON Schema, [matrix.schema.json](matrix.schema.json),
        also at the root of the pbs-maven-plugin jar. Editors running the YAML language server
        (VS Code's YAML extension, IntelliJ, Neovim) check and complete the file with this first
        line:

        ```yaml
        # yaml-language-server: $schema=path/to/matrix.schema.json
        ```

        """);
    Map<Block, String> documented = new IdentityHashMap<>();
    List<Section> sections = new ArrayList<>();
    sections.add(new Section("Top level", "", MatrixSchema.ROOT));
    collect(MatrixSchema.ROOT, "", sections);
    for (Section section : sections) {
      String first = documented.putIfAbsent(section.block(), section.path());
      if (first != null) {
        continue;
      }
      page.append("## ").append(section.title()).append("\n\n");
      page.append(escape(section.block().what()));
      List<String> sameAt =
          sections.stream()
              .filter(s -> s.block() == section.block() && s != section)
              .map(s -> "`" + s.path() + "`")
              .toList();
      if (!sameAt.isEmpty()) {
        page.append(" The same keys serve ").append(String.join(", ", sameAt)).append('.');
      }
      page.append("\n\n| key | type | required / default | meaning |\n|---|---|---|---|\n");
      for (Key key : section.block().keys()) {
        page.append("| `")
            .append(key.name())
            .append("` | ")
            .append(typeOf(key, section.path()).replace("|", "\\|"))
            .append(" | ")
            .append(key.required() ? "required" : "`" + key.byDefault() + "`")
            .append(" | ")
            .append(escape(key.doc()))
            .append(" |\n");
      }
      page.append('\n');
    }
    page.append("## Every key at once\n\n```yaml\n").append(example()).append("```\n");
    return page.toString();
  }

  /** A matrix using every key once, as YAML. */
  public static String example() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(2);
    options.setIndentWithIndicator(true);
    options.setWidth(100);
    return new Yaml(options).dump(MatrixSchema.ROOT.example());
  }

  private record Section(String title, String path, Block block) {}

  private static void collect(Block block, String prefix, List<Section> sections) {
    for (Key key : block.keys()) {
      String path = prefix.isEmpty() ? key.name() : prefix + "." + key.name();
      Shape shape = key.shape();
      String title = "`" + path + "`";
      if (shape instanceof ListOf list) {
        path += "[]";
        title = "`" + path + "` (each item of " + "`" + path.substring(0, path.length() - 2) + "`)";
        shape = list.item();
      }
      if (shape instanceof Block inner) {
        sections.add(new Section(title, path, inner));
        collect(inner, path, sections);
      }
    }
  }

  private static String typeOf(Key key, String blockPath) {
    String type = key.shape().typeName();
    String path = blockPath.isEmpty() ? key.name() : blockPath + "." + key.name();
    if (key.shape() instanceof Block) {
      return "mapping, see `" + path + "`";
    }
    if (key.shape() instanceof ListOf list && list.item() instanceof Block) {
      return type + ", see `" + path + "[]`";
    }
    if (key.shape() instanceof Shape.Text text
        && text.pattern() != null
        && text.choices().isEmpty()) {
      return type + ", e.g. `" + text.example() + "`";
    }
    return type;
  }

  private static String escape(String text) {
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
  }
}
