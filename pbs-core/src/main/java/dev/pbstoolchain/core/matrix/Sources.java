package dev.pbstoolchain.core.matrix;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each value of matrix.yaml is, by its path ({@code app.name}, {@code targets[1].formats},
 * {@code targets[0].packaging.files[2].mode}), so a later step's message can point at the line to
 * fix: {@code matrix.yaml:14:5: targets[1].smoke ...}.
 */
public final class Sources {

  private final String file;
  private final Map<String, Source> byPath;

  Sources(String file, Map<String, Source> byPath) {
    this.file = file;
    this.byPath = Collections.unmodifiableMap(new TreeMap<>(byPath));
  }

  /** Where the document's values are, walked from its root. */
  static Sources of(String file, YamlNode root) {
    Map<String, Source> byPath = new TreeMap<>();
    walk(root, "", byPath);
    return new Sources(file, byPath);
  }

  private static void walk(YamlNode node, String path, Map<String, Source> byPath) {
    byPath.putIfAbsent(path, node.source());
    if (node instanceof YamlNode.Mapping mapping) {
      for (YamlNode.Entry entry : mapping.entries()) {
        String key = entry.key().value();
        walk(entry.value(), path.isEmpty() ? key : path + "." + key, byPath);
      }
    } else if (node instanceof YamlNode.Sequence list) {
      for (int i = 0; i < list.items().size(); i++) {
        walk(list.items().get(i), path + "[" + i + "]", byPath);
      }
    }
  }

  /** The file these sources are in. */
  public String file() {
    return file;
  }

  /**
   * Where the value at {@code path} starts; for a key the file does not have, where its nearest
   * enclosing value is (a missing key is reported at its block).
   */
  public Source at(String path) {
    String at = path;
    while (true) {
      Source source = byPath.get(at);
      if (source != null) {
        return source;
      }
      if (at.isEmpty()) {
        return new Source(file, 1, 1);
      }
      at = at.substring(0, Math.max(0, Math.max(at.lastIndexOf('.'), at.lastIndexOf('['))));
    }
  }

  /** The sources below {@code prefix} (e.g. {@code targets[1]}), by paths relative to it. */
  Sources within(String prefix) {
    Map<String, Source> inner = new TreeMap<>();
    byPath.forEach(
        (path, source) -> {
          if (path.equals(prefix)) {
            inner.put("", source);
          } else if (path.startsWith(prefix + ".")) {
            inner.put(path.substring(prefix.length() + 1), source);
          } else if (path.startsWith(prefix + "[")) {
            inner.put(path.substring(prefix.length()), source);
          }
        });
    return new Sources(file, inner);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Sources s && s.file.equals(file) && s.byPath.equals(byPath);
  }

  @Override
  public int hashCode() {
    return byPath.hashCode();
  }

  @Override
  public String toString() {
    return file + byPath;
  }
}
