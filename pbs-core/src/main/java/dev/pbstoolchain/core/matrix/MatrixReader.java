package dev.pbstoolchain.core.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pbstoolchain.core.PbsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads {@code matrix.yaml} and says exactly which key of which row is wrong. */
public final class MatrixReader {

  static final Set<String> FORMATS = Set.of("tar.gz", "deb", "rpm", "zip");
  static final Set<String> COMPRESSIONS = Set.of("gzip", "xz", "zstd");

  /** What an artifact name template may use (see ArtifactNames). */
  public static final Set<String> NAME_PLACEHOLDERS =
      Set.of(
          "name",
          "version",
          "platform",
          "os",
          "arch",
          "debVersion",
          "debArch",
          "rpmVersion",
          "rpmRelease",
          "rpmArch");

  private static final java.util.regex.Pattern PLACEHOLDER =
      java.util.regex.Pattern.compile("\\{([^}]*)}");

  static final Set<String> SCRIPTS = Set.of("preinst", "postinst", "prerm", "postrm");
  static final Set<String> PACKAGING_KEYS =
      Set.of(
          "section",
          "group",
          "vendor",
          "compression",
          "depends",
          "requires",
          "recommends",
          "conflicts",
          "provides",
          "files",
          "directories",
          "scripts");

  private final Path file;
  private YamlLines lines = YamlLines.NONE;

  private MatrixReader(Path file) {
    this.file = file;
  }

  /** Reads and checks a matrix file. */
  public static Matrix read(Path file) throws PbsException {
    return new MatrixReader(file).read();
  }

  private Matrix read() throws PbsException {
    JsonNode root;
    try {
      byte[] yaml = Files.readAllBytes(file);
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
      lines = YamlLines.of(yaml);
    } catch (NoSuchFileException e) {
      throw PbsException.configuration(
          file + ": no such matrix file. Create it (see README.md) or point pbs.matrix at it.");
    } catch (IOException e) {
      throw PbsException.configuration(
          file + ": not valid YAML (" + firstLine(e.getMessage()) + "). Fix the syntax.");
    }
    if (root == null || !root.isObject()) {
      throw problem("the file", "must be a mapping with keys pbs, app and targets");
    }
    JsonNode pbs = root.path("pbs");
    JsonNode app = root.path("app");
    Matrix.App parsedApp =
        new Matrix.App(
            required(app, "app.name"),
            optional(app, "description", ""),
            optional(app, "maintainer", ""),
            optional(app, "homepage", ""),
            optional(app, "license", ""),
            optional(app, "version", ""));
    Matrix.Packaging defaults =
        root.has("packaging")
            ? packaging(root.path("packaging"), "packaging", Matrix.Packaging.NONE)
            : Matrix.Packaging.NONE;
    return new Matrix(
        required(pbs, "pbs.date"),
        required(pbs, "pbs.version"),
        parsedApp,
        targets(root, defaults),
        root.has("names") ? names(root.path("names")) : Map.of());
  }

  /** {@code names:}: per format, a file name made of text and {placeholders}. */
  private Map<String, String> names(JsonNode node) throws PbsException {
    keys(node, "names", FORMATS);
    Map<String, String> names = new TreeMap<>();
    for (String format : sorted(FORMATS)) {
      if (!node.has(format)) {
        continue;
      }
      String where = "names." + format;
      String template = required(node, format, where);
      if (template.contains("/") || !template.endsWith("." + format)) {
        throw problem(where, "is '" + template + "'; it must be a file name ending in ." + format);
      }
      java.util.regex.Matcher placeholder = PLACEHOLDER.matcher(template);
      while (placeholder.find()) {
        if (!NAME_PLACEHOLDERS.contains(placeholder.group(1))) {
          throw problem(
              where,
              "has unknown placeholder {"
                  + placeholder.group(1)
                  + "}; valid: "
                  + String.join(", ", sorted(NAME_PLACEHOLDERS)));
        }
      }
      names.put(format, template);
    }
    return names;
  }

  private List<Matrix.Target> targets(JsonNode root, Matrix.Packaging defaults)
      throws PbsException {
    JsonNode rows = root.path("targets");
    if (!rows.isArray() || rows.isEmpty()) {
      throw problem("targets", "must be a non-empty list of rows with triple, binary and formats");
    }
    List<Matrix.Target> targets = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      String where = "targets[" + i + "]";
      String triple = required(row, where + ".triple");
      for (Matrix.Target earlier : targets) {
        if (earlier.triple().equals(triple)) {
          throw problem(where + ".triple", "repeats " + triple + "; list each triple once");
        }
      }
      String pbsTriple = optional(row, "pbsTriple", "");
      targets.add(
          new Matrix.Target(
              triple,
              required(row, where + ".binary"),
              formats(row, where),
              pbsTriple.isEmpty() ? triple : pbsTriple,
              optional(row, "rpath", ""),
              row.has("packaging")
                  ? packaging(row.path("packaging"), where + ".packaging", defaults)
                  : defaults));
    }
    return targets;
  }

  private List<String> formats(JsonNode row, String where) throws PbsException {
    JsonNode node = row.path("formats");
    if (!node.isArray() || node.isEmpty()) {
      throw problem(where + ".formats", "must be a non-empty list, e.g. [tar.gz, deb, rpm]");
    }
    List<String> formats = new ArrayList<>();
    for (JsonNode format : node) {
      String value = format.asText();
      if (!FORMATS.contains(value)) {
        throw problem(
            where + ".formats",
            "has unknown format '" + value + "'; valid: " + String.join(", ", sorted(FORMATS)));
      }
      formats.add(value);
    }
    return formats;
  }

  /** A packaging block; keys it leaves out keep their value from {@code defaults}. */
  private Matrix.Packaging packaging(JsonNode node, String where, Matrix.Packaging defaults)
      throws PbsException {
    keys(node, where, PACKAGING_KEYS);
    String compression = optional(node, "compression", defaults.compression());
    if (!COMPRESSIONS.contains(compression)) {
      throw problem(
          where + ".compression",
          "is '" + compression + "'; valid: " + String.join(", ", sorted(COMPRESSIONS)));
    }
    return new Matrix.Packaging(
        optional(node, "section", defaults.section()),
        optional(node, "group", defaults.group()),
        optional(node, "vendor", defaults.vendor()),
        compression,
        strings(node, where, "depends", defaults.depends()),
        strings(node, where, "requires", defaults.requires()),
        strings(node, where, "recommends", defaults.recommends()),
        strings(node, where, "conflicts", defaults.conflicts()),
        strings(node, where, "provides", defaults.provides()),
        node.has("files") ? files(node.path("files"), where + ".files") : defaults.files(),
        node.has("directories")
            ? directories(node.path("directories"), where + ".directories")
            : defaults.directories(),
        node.has("scripts")
            ? scripts(node.path("scripts"), where + ".scripts")
            : defaults.scripts());
  }

  /** Reads one mapping of a list, {@code at} naming it (e.g. {@code packaging.files[1]}). */
  @FunctionalInterface
  private interface ItemReader<T> {
    T read(JsonNode item, String at) throws PbsException;
  }

  /** A list of mappings with the given keys, each read by {@code reader}. */
  private <T> List<T> items(JsonNode list, String where, Set<String> keys, ItemReader<T> reader)
      throws PbsException {
    List<T> items = new ArrayList<>();
    for (int i = 0; i < list(list, where).size(); i++) {
      String at = where + "[" + i + "]";
      keys(list.get(i), at, keys);
      items.add(reader.read(list.get(i), at));
    }
    return items;
  }

  private List<Matrix.PackagedFile> files(JsonNode list, String where) throws PbsException {
    return items(
        list,
        where,
        Set.of("source", "destination", "mode", "config"),
        (item, at) -> {
          JsonNode config = item.path("config");
          if (!config.isMissingNode() && !config.isBoolean()) {
            throw problem(at + ".config", "must be true or false");
          }
          return new Matrix.PackagedFile(
              required(item, at + ".source"),
              absolute(item, at + ".destination"),
              mode(item, at + ".mode", 0644),
              config.asBoolean(false));
        });
  }

  private List<Matrix.OwnedDirectory> directories(JsonNode list, String where) throws PbsException {
    return items(
        list,
        where,
        Set.of("path", "owner", "group", "mode"),
        (item, at) ->
            new Matrix.OwnedDirectory(
                absolute(item, at + ".path"),
                optional(item, "owner", "root"),
                optional(item, "group", "root"),
                mode(item, at + ".mode", 0755)));
  }

  private Map<String, String> scripts(JsonNode node, String where) throws PbsException {
    keys(node, where, SCRIPTS);
    Map<String, String> scripts = new TreeMap<>();
    for (String name : SCRIPTS) {
      if (node.has(name)) {
        scripts.put(name, required(node, where + "." + name));
      }
    }
    return scripts;
  }

  private JsonNode list(JsonNode node, String where) throws PbsException {
    if (!node.isArray()) {
      throw problem(where, "must be a list");
    }
    return node;
  }

  private List<String> strings(JsonNode parent, String where, String key, List<String> fallback)
      throws PbsException {
    if (!parent.has(key)) {
      return fallback;
    }
    List<String> values = new ArrayList<>();
    for (JsonNode value : list(parent.path(key), where + "." + key)) {
      if (!value.isValueNode() || value.asText().isBlank()) {
        throw problem(where + "." + key, "must list package names, e.g. [adduser]");
      }
      values.add(value.asText().trim());
    }
    return values;
  }

  private String absolute(JsonNode parent, String path) throws PbsException {
    String value = required(parent, path);
    if (!value.startsWith("/") || value.contains("/../") || value.endsWith("/..")) {
      throw problem(path, "is '" + value + "'; it must be an absolute install path like /etc/app");
    }
    return value;
  }

  /**
   * Modes are quoted octal strings: an unquoted 0640 means 416 to one YAML reader, 640 to others.
   */
  private int mode(JsonNode parent, String path, int fallback) throws PbsException {
    JsonNode node = parent.path(path.substring(path.lastIndexOf('.') + 1));
    if (node.isMissingNode()) {
      return fallback;
    }
    String text = node.asText().trim();
    if (!node.isTextual() || !text.matches("0?[0-7]{3,4}")) {
      throw problem(path, "must be an octal mode in quotes, e.g. \"0640\"");
    }
    return Integer.parseInt(text, 8);
  }

  /** Catches misspelt keys, which would otherwise be ignored without a word. */
  private void keys(JsonNode node, String where, Set<String> allowed) throws PbsException {
    if (!node.isObject()) {
      throw problem(where, "must be a mapping with keys " + String.join(", ", sorted(allowed)));
    }
    for (var names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw problem(
            where + "." + name, "is not a known key; valid: " + String.join(", ", sorted(allowed)));
      }
    }
  }

  /** The value of the last key of {@code path} (a simple key, without dots). */
  private String required(JsonNode parent, String path) throws PbsException {
    return required(parent, path.substring(path.lastIndexOf('.') + 1), path);
  }

  /** The value of {@code key}, which may hold dots (tar.gz), reported as {@code path}. */
  private String required(JsonNode parent, String key, String path) throws PbsException {
    JsonNode node = parent.path(key);
    if (!node.isValueNode() || node.asText().isBlank()) {
      throw problem(path, "is missing; it is required");
    }
    return node.asText().trim();
  }

  private static String optional(JsonNode parent, String key, String fallback) {
    JsonNode node = parent.path(key);
    return node.isValueNode() ? node.asText().trim() : fallback;
  }

  /** {@code FILE:LINE: where what.}, LINE being where the key (or its nearest parent) is. */
  private PbsException problem(String where, String what) {
    int line = lines.lineOf(where);
    return PbsException.configuration(
        file + (line > 0 ? ":" + line : "") + ": " + where + " " + what + ".");
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unreadable";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
