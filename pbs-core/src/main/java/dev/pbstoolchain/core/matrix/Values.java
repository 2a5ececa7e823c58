package dev.pbstoolchain.core.matrix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One checked block of matrix.yaml as the reader turns it into the model. It only hands out keys
 * its {@link Shape.Block} declares (anything else is a bug in the reader, caught by any test that
 * reads that block) and records each key it was asked for, so a test can prove that no declared key
 * is accepted and then ignored.
 */
final class Values {

  private final Shape.Block block;
  private final YamlNode.Mapping node;
  private final String path;
  private final String declaredPath;
  private final Set<String> consulted;

  Values(
      Shape.Block block,
      YamlNode.Mapping node,
      String path,
      String declaredPath,
      Set<String> consulted) {
    this.block = block;
    this.node = node;
    this.path = path;
    this.declaredPath = declaredPath;
    this.consulted = consulted;
  }

  /** Where this block is, e.g. {@code targets[1]}; empty for the file. */
  String path() {
    return path;
  }

  /** The path of one of its keys, e.g. {@code targets[1].formats}. */
  String path(String key) {
    declared(key);
    return path.isEmpty() ? key : path + "." + key;
  }

  Source source() {
    return node.source();
  }

  /** Where a key's value is, else where the block is. */
  Source source(String key) {
    declared(key);
    return node.get(key).map(YamlNode::source).orElse(node.source());
  }

  boolean has(String key) {
    return value(key).isPresent();
  }

  /** A text value, stripped; the checks ran, so a required key is there. */
  String text(String key) {
    return text(key, "");
  }

  String text(String key, String fallback) {
    return value(key).map(v -> ((YamlNode.Scalar) v).value().strip()).orElse(fallback);
  }

  boolean flag(String key, boolean fallback) {
    return value(key)
        .map(v -> Boolean.parseBoolean(((YamlNode.Scalar) v).value()))
        .orElse(fallback);
  }

  /** A whole number (checked: written without quotes, in its range). */
  long whole(String key, long fallback) {
    return value(key)
        .map(v -> Long.parseLong(((YamlNode.Scalar) v).value().strip().replaceFirst("^[+]", "")))
        .orElse(fallback);
  }

  /** A mapping of the user's keys to text, in file order. */
  Map<String, String> map(String key) {
    Map<String, String> map = new LinkedHashMap<>();
    value(key)
        .ifPresent(
            v -> {
              for (YamlNode.Entry entry : ((YamlNode.Mapping) v).entries()) {
                map.put(entry.key().value(), ((YamlNode.Scalar) entry.value()).value().strip());
              }
            });
    return Collections.unmodifiableMap(map);
  }

  /** A list of text. */
  List<String> texts(String key, List<String> fallback) {
    return value(key)
        .map(
            v ->
                ((YamlNode.Sequence) v)
                    .items().stream().map(i -> ((YamlNode.Scalar) i).value().strip()).toList())
        .orElse(fallback);
  }

  /** Each item of a list of text, with where it is. */
  List<YamlNode.Scalar> scalars(String key) {
    return value(key)
        .map(v -> ((YamlNode.Sequence) v).items().stream().map(i -> (YamlNode.Scalar) i).toList())
        .orElse(List.of());
  }

  /** A nested block, if given. */
  Optional<Values> block(String key) {
    Shape.Block inner = (Shape.Block) declared(key).shape();
    return value(key)
        .map(v -> new Values(inner, (YamlNode.Mapping) v, path(key), declaredPath(key), consulted));
  }

  /** The items of a list of blocks. */
  List<Values> items(String key) {
    Shape.Block item = (Shape.Block) ((Shape.ListOf) declared(key).shape()).item();
    List<Values> items = new ArrayList<>();
    value(key)
        .ifPresent(
            v -> {
              List<YamlNode> list = ((YamlNode.Sequence) v).items();
              for (int i = 0; i < list.size(); i++) {
                items.add(
                    new Values(
                        item,
                        (YamlNode.Mapping) list.get(i),
                        path(key) + "[" + i + "]",
                        declaredPath(key) + "[]",
                        consulted));
              }
            });
    return items;
  }

  private Optional<YamlNode> value(String key) {
    declared(key);
    return node.get(key);
  }

  private String declaredPath(String key) {
    return declaredPath.isEmpty() ? key : declaredPath + "." + key;
  }

  private Shape.Key declared(String key) {
    Shape.Key declared =
        block
            .key(key)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the reader asks for '"
                            + key
                            + "' in "
                            + (declaredPath.isEmpty() ? "the top level" : declaredPath)
                            + ", which MatrixSchema does not declare there"));
    consulted.add(declaredPath(key));
    return declared;
  }
}
