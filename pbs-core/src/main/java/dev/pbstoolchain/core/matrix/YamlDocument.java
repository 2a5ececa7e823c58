package dev.pbstoolchain.core.matrix;

import dev.pbstoolchain.core.PbsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.UnicodeReader;

/**
 * Parses matrix.yaml into {@link YamlNode}s with their line and column. SnakeYAML composes the
 * document (aliases resolved, nothing constructed), so a syntax error keeps its position and a
 * scalar keeps the text the user wrote.
 */
final class YamlDocument {

  /** A matrix is a page of text; a larger file is not one. */
  private static final int MAX_CODE_POINTS = 1 << 20;

  private final String file;
  private final Map<Node, YamlNode> converted = new IdentityHashMap<>();
  private final Map<Node, Boolean> inProgress = new IdentityHashMap<>();

  private YamlDocument(String file) {
    this.file = file;
  }

  /** The document's root node; empty documents are refused. */
  static YamlNode parse(Path path) throws PbsException {
    String file = path.toString();
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_CODE_POINTS);
    Node root;
    try (InputStream in = Files.newInputStream(path);
        Reader reader = new UnicodeReader(in)) {
      root = new Yaml(options).compose(reader);
    } catch (NoSuchFileException e) {
      throw PbsException.configuration(
          file + ": no such matrix file. Create it (see README.md) or point pbs.matrix at it.");
    } catch (IOException e) {
      throw PbsException.configuration(file + ": cannot read it: " + e.getMessage());
    } catch (MarkedYAMLException e) {
      throw syntax(file, e);
    } catch (YAMLException e) {
      throw PbsException.configuration(
          file + ": not valid YAML: " + firstLine(e.getMessage()) + ". Fix the file.");
    }
    if (root == null) {
      throw PbsException.configuration(
          file + ":1:1: the file is empty; it must be a mapping with keys pbs, app and targets.");
    }
    return new YamlDocument(file).convert(root);
  }

  private YamlNode convert(Node node) throws PbsException {
    YamlNode done = converted.get(node);
    if (done != null) {
      return done;
    }
    if (inProgress.put(node, Boolean.TRUE) != null) {
      throw PbsException.configuration(
          source(node.getStartMark())
              + ": an alias refers to the node that holds it; write the"
              + " values out.");
    }
    YamlNode result;
    if (node instanceof ScalarNode scalar) {
      result = scalar(scalar);
    } else if (node instanceof MappingNode mapping) {
      List<YamlNode.Entry> entries = new ArrayList<>();
      for (NodeTuple tuple : mapping.getValue()) {
        if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
          throw PbsException.configuration(
              source(tuple.getKeyNode().getStartMark())
                  + ": a key must be a plain name, not a list or a mapping.");
        }
        entries.add(new YamlNode.Entry(scalar(key), convert(tuple.getValueNode())));
      }
      result = new YamlNode.Mapping(entries, source(node.getStartMark()));
    } else {
      List<YamlNode> items = new ArrayList<>();
      for (Node item : ((SequenceNode) node).getValue()) {
        items.add(convert(item));
      }
      result = new YamlNode.Sequence(items, source(node.getStartMark()));
    }
    inProgress.remove(node);
    converted.put(node, result);
    return result;
  }

  private YamlNode.Scalar scalar(ScalarNode node) {
    Tag tag = node.getTag();
    YamlNode.ScalarType type;
    if (tag.equals(Tag.STR)) {
      type = YamlNode.ScalarType.TEXT;
    } else if (tag.equals(Tag.INT)) {
      type = YamlNode.ScalarType.INTEGER;
    } else if (tag.equals(Tag.FLOAT)) {
      type = YamlNode.ScalarType.FLOAT;
    } else if (tag.equals(Tag.BOOL)) {
      type = YamlNode.ScalarType.BOOLEAN;
    } else if (tag.equals(Tag.NULL)) {
      type = YamlNode.ScalarType.NULL;
    } else if (tag.equals(Tag.TIMESTAMP)) {
      type = YamlNode.ScalarType.TIMESTAMP;
    } else {
      type = YamlNode.ScalarType.OTHER;
    }
    return new YamlNode.Scalar(node.getValue(), type, source(node.getStartMark()));
  }

  private Source source(Mark mark) {
    return new Source(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  /** {@code FILE:LINE:COL: not valid YAML: PROBLEM}, with a hint for the usual slips. */
  private static PbsException syntax(String file, MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String where =
        mark == null ? file : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    String problem = e.getProblem() == null ? firstLine(e.getMessage()) : e.getProblem();
    String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
    if (problem.startsWith("but ") && !context.isEmpty()) {
      problem = e.getContext() + ", " + problem;
      context = "";
    }
    if (problem.contains("(TAB)")) {
      // SnakeYAML's own words spell the tab as an escape: say it plainly.
      problem = "a tab character cannot start a token";
      context = "";
    }
    return PbsException.configuration(
        where + ": not valid YAML: " + problem + context + ". " + hint(problem));
  }

  private static String hint(String problem) {
    if (problem.contains("tab character")) {
      return "Indent with spaces; YAML does not allow tabs.";
    }
    if (problem.contains("mapping values are not allowed")) {
      return "Put a value that holds ': ' in quotes, or check the indentation above.";
    }
    if (problem.contains("expected a single document")) {
      return "Keep one document: remove the '---' separator.";
    }
    if (problem.contains("found duplicate anchor") || problem.contains("undefined alias")) {
      return "Define each &anchor once, before its *alias.";
    }
    return "Fix the syntax there.";
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unreadable";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
