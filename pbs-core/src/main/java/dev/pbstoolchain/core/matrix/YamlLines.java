package dev.pbstoolchain.core.matrix;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
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

  private final Map<String, Integer> lineByPath;

  private YamlLines(Map<String, Integer> lineByPath) {
    this.lineByPath = lineByPath;
  }

  static YamlLines of(byte[] yaml) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
      while (parser.nextToken() != null) {
        lines.putIfAbsent(
            path(parser.getParsingContext()), parser.currentTokenLocation().getLineNr());
      }
    }
    return new YamlLines(lines);
  }

  /**
   * The reader's own notation for where the parser is, e.g. {@code targets[1].formats} or {@code
   * names.tar.gz} (a key may hold dots, so paths are never split back into keys).
   */
  private static String path(JsonStreamContext context) {
    if (context == null || context.inRoot()) {
      return "";
    }
    String parent = path(context.getParent());
    if (context.inArray()) {
      return parent + "[" + context.getCurrentIndex() + "]";
    }
    String name = context.getCurrentName();
    return name == null ? parent : parent.isEmpty() ? name : parent + "." + name;
  }

  /**
   * The line of a path such as {@code targets[1].formats}, or of its nearest ancestor that the
   * document has (a missing key is reported where its parent is); 0 when unknown.
   */
  int lineOf(String path) {
    String at = path;
    while (!at.isEmpty()) {
      Integer line = lineByPath.get(at);
      if (line != null) {
        return line;
      }
      at = at.substring(0, Math.max(0, Math.max(at.lastIndexOf('.'), at.lastIndexOf('['))));
    }
    return 0;
  }
}
