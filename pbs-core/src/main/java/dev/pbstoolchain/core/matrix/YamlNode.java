package dev.pbstoolchain.core.matrix;

import java.util.List;
import java.util.Optional;

/**
 * matrix.yaml as the YAML parser composed it, before any meaning is given to it: scalars keep the
 * text as written (so {@code 3.10} stays {@code 3.10}) and the type YAML gives them, and every node
 * knows where it starts.
 */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

  Source source();

  /** What YAML calls this node in a message: "text", "a number", "a list"... */
  String kind();

  /** What YAML makes of a scalar written without quotes (YAML 1.1, as SnakeYAML resolves it). */
  enum ScalarType {
    TEXT("text"),
    INTEGER("a number"),
    FLOAT("a number"),
    BOOLEAN("a boolean"),
    NULL("empty"),
    TIMESTAMP("a timestamp"),
    OTHER("a tagged value");

    private final String description;

    ScalarType(String description) {
      this.description = description;
    }

    String description() {
      return description;
    }
  }

  /** A scalar: its text as written and the type YAML resolved it to. */
  record Scalar(String value, ScalarType type, Source source) implements YamlNode {
    @Override
    public String kind() {
      return type.description();
    }
  }

  /** A key of a mapping with its value. */
  record Entry(Scalar key, YamlNode value) {}

  /** A mapping, its entries in file order (duplicates kept, so the reader can refuse them). */
  record Mapping(List<Entry> entries, Source source) implements YamlNode {
    public Mapping {
      entries = List.copyOf(entries);
    }

    Optional<YamlNode> get(String key) {
      return entries.stream()
          .filter(e -> e.key().value().equals(key))
          .findFirst()
          .map(Entry::value);
    }

    @Override
    public String kind() {
      return "a mapping";
    }
  }

  /** A list. */
  record Sequence(List<YamlNode> items, Source source) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String kind() {
      return "a list";
    }
  }
}
