package dev.pbstoolchain.core.matrix;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a value of matrix.yaml may be. One declaration ({@link MatrixSchema}) drives the reader's
 * checks, the JSON Schema and the reference page, so the three cannot disagree.
 */
public sealed interface Shape
    permits Shape.Text, Shape.Whole, Shape.Flag, Shape.ListOf, Shape.MapOf, Shape.Block {

  /** Adds what is wrong with {@code node} (at {@code path}, e.g. {@code targets[1].formats}). */
  void check(YamlNode node, String path, Problems problems);

  /** This value's JSON Schema (draft-07). */
  ObjectNode schema(JsonNodeFactory json);

  /** How the reference names the type: "text", "true or false", "list of text", "mapping". */
  String typeName();

  /** A valid value, as plain data (String, Boolean, List, Map), for examples and tests. */
  Object example();

  /**
   * Reports {@code entry}'s key if the mapping had it before ({@code seen} remembers the first) or
   * if it is a merge key, which the reader does not expand; {@code in} says where ("in packaging").
   * Returns whether it reported, so the caller checks only the other entries.
   */
  private static boolean repeatedOrMerge(
      YamlNode.Entry entry, Map<String, YamlNode.Scalar> seen, String in, Problems problems) {
    String name = entry.key().value();
    YamlNode.Scalar first = seen.putIfAbsent(name, entry.key());
    if (first != null) {
      problems.add(
          entry.key().source(),
          "duplicate key '" + name + "' " + in + " (first at line " + first.source().line() + ")");
      return true;
    }
    if (name.equals("<<")) {
      problems.add(
          entry.key().source(), "merge keys (<<) are not supported " + in + "; write the keys out");
      return true;
    }
    return false;
  }

  /**
   * A text value.
   *
   * @param example a valid value
   * @param pattern what it must match (anchored; ECMA-262 and Java read it alike), or null
   * @param hint what the pattern means, for messages ("8 digits such as 20241016")
   * @param choices the only values allowed, or empty
   * @param suggested values editors offer, other values matching {@code pattern} allowed too
   * @param digits a whole number of this many digits is accepted unquoted, else 0
   * @param noun what one of the choices is called in a list ("format"), or empty
   */
  record Text(
      String example,
      Pattern pattern,
      String hint,
      List<String> choices,
      List<String> suggested,
      int digits,
      String noun)
      implements Shape {

    public Text {
      Objects.requireNonNull(example, "example");
      choices = List.copyOf(choices);
      suggested = List.copyOf(suggested);
    }

    /** Any non-empty text. */
    public static Text any(String example) {
      return new Text(example, null, "", List.of(), List.of(), 0, "");
    }

    /** Text matching {@code regex} (anchored), described by {@code hint} in messages. */
    public static Text matching(String regex, String hint, String example) {
      return new Text(example, Pattern.compile(regex), hint, List.of(), List.of(), 0, "");
    }

    /** One of {@code choices}. */
    public static Text oneOf(List<String> choices) {
      return new Text(choices.get(0), null, "", choices, List.of(), 0, "");
    }

    /** Text matching {@code regex}, with {@code suggested} offered first by editors. */
    public Text suggesting(List<String> values) {
      return new Text(example, pattern, hint, choices, values, digits, noun);
    }

    /** In a list, a wrong value reads "LIST has unknown NOUN 'x'". */
    public Text called(String value) {
      return new Text(example, pattern, hint, choices, suggested, digits, value);
    }

    /** The same rule with another example. */
    public Text withExample(String value) {
      return new Text(value, pattern, hint, choices, suggested, digits, noun);
    }

    /** Also a number of exactly {@code n} digits written without quotes (a date tag). */
    public Text orDigits(int n) {
      return new Text(example, pattern, hint, choices, suggested, n, noun);
    }

    @Override
    public void check(YamlNode node, String path, Problems problems) {
      if (!(node instanceof YamlNode.Scalar scalar)) {
        problems.add(node.source(), path + " is " + node.kind() + "; it must be text, e.g. " + q());
        return;
      }
      String value = scalar.value().strip();
      boolean number = digits > 0 && scalar.type() == YamlNode.ScalarType.INTEGER;
      if (scalar.type() == YamlNode.ScalarType.NULL || value.isEmpty()) {
        problems.add(scalar.source(), path + " is empty; give a value, e.g. " + q());
      } else if (scalar.type() != YamlNode.ScalarType.TEXT && !number) {
        problems.add(
            scalar.source(),
            path
                + " is "
                + value
                + ", which YAML reads as "
                + scalar.kind()
                + "; write it in quotes: \""
                + value
                + "\"");
      } else if (!choices.isEmpty() && !choices.contains(value)) {
        boolean item = !noun.isEmpty() && path.endsWith("]");
        problems.add(
            scalar.source(),
            (item
                    ? path.substring(0, path.lastIndexOf('[')) + " has unknown " + noun + " '"
                    : path + " is '")
                + value
                + "'"
                + Suggestions.didYouMean(value, choices)
                + "; valid: "
                + String.join(", ", choices.stream().sorted().toList()));
      } else if (pattern != null && !pattern.matcher(value).find()) {
        problems.add(scalar.source(), path + " is '" + value + "'; " + hint);
      }
    }

    private String q() {
      return "\"" + example + "\"";
    }

    @Override
    public ObjectNode schema(JsonNodeFactory json) {
      ObjectNode schema = json.objectNode();
      if (digits > 0) {
        ArrayNode types = schema.putArray("type");
        types.add("string");
        types.add("integer");
        schema.put("minimum", (long) Math.pow(10, digits - 1));
        schema.put("maximum", (long) Math.pow(10, digits) - 1);
      } else {
        schema.put("type", "string");
      }
      schema.put("minLength", 1);
      if (!choices.isEmpty()) {
        ArrayNode values = schema.putArray("enum");
        choices.forEach(values::add);
      }
      if (pattern != null && suggested.isEmpty()) {
        schema.put("pattern", pattern.pattern());
      }
      if (!suggested.isEmpty()) {
        ArrayNode anyOf = schema.putArray("anyOf");
        ArrayNode values = anyOf.addObject().putArray("enum");
        suggested.forEach(values::add);
        anyOf.addObject().put("pattern", pattern.pattern());
      }
      return schema;
    }

    @Override
    public String typeName() {
      return choices.isEmpty() ? "text" : "one of " + String.join(", ", choices);
    }
  }

  /**
   * A whole number written without quotes (a port, a user id).
   *
   * @param min the smallest allowed
   * @param max the largest allowed
   * @param sample a valid value, for examples
   */
  record Whole(long min, long max, long sample) implements Shape {

    public Whole {
      if (min > max || sample < min || sample > max) {
        throw new IllegalArgumentException("example " + sample + " outside " + min + ".." + max);
      }
    }

    @Override
    public void check(YamlNode node, String path, Problems problems) {
      if (!(node instanceof YamlNode.Scalar scalar)
          || scalar.type() != YamlNode.ScalarType.INTEGER
          || !inRange(scalar.value().strip())) {
        String given =
            node instanceof YamlNode.Scalar scalar
                ? "'" + scalar.value().strip() + "'"
                : node.kind();
        problems.add(
            node.source(),
            path + " is " + given + "; it must be " + typeName() + ", e.g. " + sample);
      }
    }

    private boolean inRange(String value) {
      try {
        long number = Long.parseLong(value.startsWith("+") ? value.substring(1) : value);
        return number >= min && number <= max;
      } catch (NumberFormatException e) {
        return false; // 0x1F, 0o17, 1_000: YAML 1.1 integers JSON Schema does not share
      }
    }

    @Override
    public ObjectNode schema(JsonNodeFactory json) {
      return json.objectNode().put("type", "integer").put("minimum", min).put("maximum", max);
    }

    @Override
    public String typeName() {
      return "a whole number from " + min + " to " + max;
    }

    @Override
    public Object example() {
      return sample;
    }
  }

  /** {@code true} or {@code false}. */
  record Flag() implements Shape {

    @Override
    public void check(YamlNode node, String path, Problems problems) {
      if (!(node instanceof YamlNode.Scalar scalar)
          || scalar.type() != YamlNode.ScalarType.BOOLEAN
          || !scalar.value().matches("true|True|TRUE|false|False|FALSE")) {
        problems.add(node.source(), path + " must be true or false");
      }
    }

    @Override
    public ObjectNode schema(JsonNodeFactory json) {
      return json.objectNode().put("type", "boolean");
    }

    @Override
    public String typeName() {
      return "true or false";
    }

    @Override
    public Object example() {
      return Boolean.TRUE;
    }
  }

  /**
   * A list.
   *
   * @param item what each item is
   * @param minItems the fewest items allowed
   * @param unique whether an item may appear twice
   */
  record ListOf(Shape item, int minItems, boolean unique) implements Shape {

    @Override
    public void check(YamlNode node, String path, Problems problems) {
      if (!(node instanceof YamlNode.Sequence list)) {
        problems.add(
            node.source(), path + " is " + node.kind() + "; it must be a list, e.g. " + inline());
        return;
      }
      if (list.items().size() < minItems) {
        problems.add(
            list.source(),
            path + " is an empty list; list at least " + minItems + ", e.g. " + inline());
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < list.items().size(); i++) {
        YamlNode value = list.items().get(i);
        item.check(value, path + "[" + i + "]", problems);
        if (unique && value instanceof YamlNode.Scalar s && !seen.add(s.value().strip())) {
          problems.add(s.source(), path + " lists '" + s.value().strip() + "' twice");
        }
      }
    }

    private String inline() {
      return item instanceof Text t ? "[" + t.example() + "]" : "a list of mappings";
    }

    @Override
    public ObjectNode schema(JsonNodeFactory json) {
      ObjectNode schema = json.objectNode().put("type", "array");
      schema.set("items", item.schema(json));
      if (minItems > 0) {
        schema.put("minItems", minItems);
      }
      if (unique) {
        schema.put("uniqueItems", true);
      }
      return schema;
    }

    @Override
    public String typeName() {
      return "list of " + (item instanceof Block ? "mappings" : item.typeName());
    }

    @Override
    public Object example() {
      return List.of(item.example());
    }
  }

  /**
   * A mapping whose keys the user chooses (environment variables, labels), every value text.
   *
   * @param key what each key must be
   * @param value what each value must be
   */
  record MapOf(Text key, Text value) implements Shape {

    @Override
    public void check(YamlNode node, String path, Problems problems) {
      if (!(node instanceof YamlNode.Mapping mapping)) {
        problems.add(
            node.source(),
            path
                + " is "
                + node.kind()
                + "; it must be a mapping of "
                + key.example()
                + ": "
                + value.example()
                + " pairs");
        return;
      }
      Map<String, YamlNode.Scalar> seen = new HashMap<>();
      for (YamlNode.Entry entry : mapping.entries()) {
        if (!repeatedOrMerge(entry, seen, "in " + path, problems)) {
          key.check(entry.key(), path + " key", problems);
          value.check(entry.value(), path + "." + entry.key().value(), problems);
        }
      }
    }

    @Override
    public ObjectNode schema(JsonNodeFactory json) {
      ObjectNode schema = json.objectNode().put("type", "object");
      schema.set("propertyNames", key.schema(json));
      schema.set("additionalProperties", value.schema(json));
      return schema;
    }

    @Override
    public String typeName() {
      return "mapping of " + key.typeName() + " to " + value.typeName();
    }

    @Override
    public Object example() {
      return Map.of(key.example(), value.example());
    }
  }

  /**
   * A key of a block.
   *
   * @param name the key as written in matrix.yaml
   * @param shape what its value may be
   * @param required whether the block must have it
   * @param doc one or two sentences for the reference and editors
   * @param byDefault what applies when the key is left out (for the reference), or empty
   */
  record Key(String name, Shape shape, boolean required, String doc, String byDefault) {

    public static Key required(String name, Shape shape, String doc) {
      return new Key(name, shape, true, doc, "");
    }

    public static Key optional(String name, Shape shape, String doc, String byDefault) {
      return new Key(name, shape, false, doc, byDefault);
    }
  }

  /**
   * A mapping with a fixed set of keys: any other key is a mistake.
   *
   * @param what what the block is, for the reference and the schema's description
   * @param keys its keys, in the order the reference lists them
   */
  record Block(String what, List<Key> keys) implements Shape {

    public Block {
      keys = List.copyOf(keys);
      Set<String> names = new HashSet<>();
      for (Key key : keys) {
        if (!names.add(key.name())) {
          throw new IllegalArgumentException("key " + key.name() + " declared twice");
        }
      }
    }

    public static Block of(String what, Key... keys) {
      return new Block(what, List.of(keys));
    }

    public Optional<Key> key(String name) {
      return keys.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    public List<String> names() {
      return keys.stream().map(Key::name).toList();
    }

    @Override
    public void check(YamlNode node, String path, Problems problems) {
      String in = path.isEmpty() ? "at the top level" : "in " + path;
      if (!(node instanceof YamlNode.Mapping mapping)) {
        problems.add(
            node.source(),
            (path.isEmpty() ? "the file" : path)
                + " is "
                + node.kind()
                + "; it must be a mapping with keys "
                + String.join(", ", names()));
        return;
      }
      Map<String, YamlNode.Scalar> seen = new LinkedHashMap<>();
      for (YamlNode.Entry entry : mapping.entries()) {
        String name = entry.key().value();
        Optional<Key> key = key(name);
        if (repeatedOrMerge(entry, seen, in, problems)) {
          continue;
        }
        if (key.isEmpty()) {
          problems.add(entry.key().source(), unknown(name, in));
        } else {
          key.get()
              .shape()
              .check(entry.value(), path.isEmpty() ? name : path + "." + name, problems);
        }
      }
      for (Key key : keys) {
        if (key.required() && !seen.containsKey(key.name())) {
          problems.add(
              mapping.source(),
              (path.isEmpty() ? "" : path + ".")
                  + key.name()
                  + " is missing; it is required ("
                  + uncapitalized(key.doc())
                  + ")");
        }
      }
    }

    private String unknown(String name, String in) {
      List<String> names = new ArrayList<>(names());
      String hint = Suggestions.didYouMean(name, names);
      if (hint.isEmpty()) {
        hint = MatrixSchema.homeOf(name).map(home -> " (it belongs " + home + ")").orElse("");
      }
      return "unknown key '"
          + name
          + "' "
          + in
          + hint
          + "; valid keys: "
          + String.join(", ", names.stream().sorted().toList());
    }

    private static String uncapitalized(String doc) {
      String first = doc.contains(". ") ? doc.substring(0, doc.indexOf(". ")) : doc;
      first = first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
      return first.isEmpty() ? first : Character.toLowerCase(first.charAt(0)) + first.substring(1);
    }

    @Override
    public ObjectNode schema(JsonNodeFactory json) {
      ObjectNode schema = json.objectNode().put("type", "object");
      ObjectNode properties = schema.putObject("properties");
      for (Key key : keys) {
        ObjectNode property = json.objectNode();
        property.put(
            "description",
            key.doc() + (key.byDefault().isEmpty() ? "" : " Default: " + key.byDefault() + "."));
        property.setAll(key.shape().schema(json));
        properties.set(key.name(), property);
      }
      List<String> required = keys.stream().filter(Key::required).map(Key::name).toList();
      if (!required.isEmpty()) {
        ArrayNode list = schema.putArray("required");
        required.forEach(list::add);
      }
      schema.put("additionalProperties", false);
      return schema;
    }

    @Override
    public String typeName() {
      return "mapping";
    }

    @Override
    public Object example() {
      Map<String, Object> example = new LinkedHashMap<>();
      keys.forEach(k -> example.put(k.name(), k.shape().example()));
      return example;
    }
  }
}
