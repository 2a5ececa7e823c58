package dev.pbstoolchain.plugin.matrix;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line each key and list item of a YAML document starts on, so an error about {@code
 * targets[1].formats} can point at the line to fix. The tree the reader checks has no locations;
 * this is one more pass of the parser over the same bytes.
 */
final class YamlLines {

  static final YamlLines NONE = new YamlLines(Map.of());

  private final Map<String, Integer> lineByPointer;

  private YamlLines(Map<String, Integer> lineByPointer) {
    this.lineByPointer = lineByPointer;
  }

  static YamlLines of(byte[] yaml) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
      while (parser.nextToken() != null) {
        lines.putIfAbsent(
            parser.getParsingContext().pathAsPointer().toString(),
            parser.currentTokenLocation().getLineNr());
      }
    }
    return new YamlLines(lines);
  }

  /**
   * The line of a dotted path such as {@code targets[1].formats}, or of its nearest ancestor that
   * the document has (a missing key is reported where its parent is); 0 when unknown.
   */
  int lineOf(String path) {
    String pointer = "/" + path.replace("[", ".").replace("]", "").replace('.', '/');
    while (!pointer.isEmpty()) {
      Integer line = lineByPointer.get(pointer);
      if (line != null) {
        return line;
      }
      pointer = pointer.substring(0, pointer.lastIndexOf('/'));
    }
    return 0;
  }
}
