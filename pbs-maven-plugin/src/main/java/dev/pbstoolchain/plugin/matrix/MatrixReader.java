package dev.pbstoolchain.plugin.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pbstoolchain.plugin.pbs.PbsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads {@code matrix.yaml} and says exactly which key of which row is wrong. */
public final class MatrixReader {

  static final Set<String> FORMATS = Set.of("tar.gz", "deb", "rpm", "zip");

  private final Path file;

  private MatrixReader(Path file) {
    this.file = file;
  }

  /** Reads and checks a matrix file. */
  public static Matrix read(Path file) throws PbsException {
    return new MatrixReader(file).read();
  }

  private Matrix read() throws PbsException {
    JsonNode root;
    try (InputStream in = Files.newInputStream(file)) {
      root = new ObjectMapper(new YAMLFactory()).readTree(in);
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
    return new Matrix(
        required(pbs, "pbs.date"), required(pbs, "pbs.version"), parsedApp, targets(root));
  }

  private List<Matrix.Target> targets(JsonNode root) throws PbsException {
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
              optional(row, "rpath", "")));
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

  private String required(JsonNode parent, String path) throws PbsException {
    String key = path.substring(path.lastIndexOf('.') + 1);
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

  private PbsException problem(String where, String what) {
    return PbsException.configuration(file + ": " + where + " " + what + ".");
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
