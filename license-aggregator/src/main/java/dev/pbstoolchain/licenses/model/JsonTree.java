package dev.pbstoolchain.licenses.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pbstoolchain.licenses.LicenseException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON document read with jackson-core's streaming parser into plain nodes that know their JSON
 * pointer (RFC 6901), so a wrong value is reported as {@code
 * /build_info/extensions/_ctypes/0/licenses}. Data binding would load ~500 classes for a few
 * kilobytes of JSON: a third of a licence run.
 */
final class JsonTree {

  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonTree() {}

  /** One value; a missing field reads as a null node. */
  record Node(String document, String path, Object value) {

    boolean isNull() {
      return value == null;
    }

    /** This node's JSON pointer, e.g. {@code /build_info/core}; empty for the document. */
    String pointer() {
      return path;
    }

    /** The pointer as a message names it. */
    String where() {
      return path.isEmpty() ? "the document" : path;
    }

    /** The named field of an object, a null node when absent or when this node is null. */
    Node field(String name) throws LicenseException {
      String child = path + "/" + escape(name);
      if (value == null) {
        return new Node(document, child, null);
      }
      return new Node(document, child, object().get(name));
    }

    /** The fields of an object in document order; none for null. */
    List<Map.Entry<String, Node>> fields() throws LicenseException {
      List<Map.Entry<String, Node>> result = new ArrayList<>();
      if (value != null) {
        for (Map.Entry<String, Object> e : object().entrySet()) {
          String child = path + "/" + escape(e.getKey());
          result.add(Map.entry(e.getKey(), new Node(document, child, e.getValue())));
        }
      }
      return result;
    }

    /** The elements of an array; none for null. */
    List<Node> elements() throws LicenseException {
      List<Node> result = new ArrayList<>();
      if (value == null) {
        return result;
      }
      if (!(value instanceof List<?> list)) {
        throw wrongType("an array");
      }
      for (int i = 0; i < list.size(); i++) {
        result.add(new Node(document, path + "/" + i, list.get(i)));
      }
      return result;
    }

    /** A string, or null. */
    String text() throws LicenseException {
      if (value == null || value instanceof String) {
        return (String) value;
      }
      throw wrongType("a string");
    }

    /** A string or a number as written (the schema version is either), or null. */
    String textOrNumber() throws LicenseException {
      return value instanceof Number ? value.toString() : text();
    }

    /** An array of strings, or null. */
    List<String> texts() throws LicenseException {
      if (value == null) {
        return null;
      }
      List<String> result = new ArrayList<>();
      for (Node element : elements()) {
        if (!(element.value instanceof String text)) {
          throw element.wrongType("a string");
        }
        result.add(text);
      }
      return result;
    }

    Boolean bool() throws LicenseException {
      if (value == null || value instanceof Boolean) {
        return (Boolean) value;
      }
      throw wrongType("true or false");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object() throws LicenseException {
      if (!(value instanceof Map)) {
        throw wrongType("an object");
      }
      return (Map<String, Object>) value;
    }

    LicenseException wrongType(String expected) {
      return invalid("should be " + expected + ", found " + found());
    }

    /** A message naming the document and this node, the problem, and the fix. */
    LicenseException invalid(String problem) {
      return new LicenseException(document + ": " + where() + " " + problem + ". " + FIX);
    }

    /** What the node holds, as a message shows it: quoted and cut short. */
    String found() {
      if (value instanceof Map) {
        return "an object";
      }
      if (value instanceof List) {
        return "an array";
      }
      if (!(value instanceof String text)) {
        return String.valueOf(value);
      }
      return "'" + LicenseException.shown(text, 60) + "'";
    }
  }

  /** What every PYTHON.json problem asks of the user: the file is not as PBS writes it. */
  static final String FIX =
      "python-build-standalone does not write this: use the release's unmodified *-full.tar.zst"
          + " (fetch it again)";

  /** RFC 6901: '~' and '/' in a name are written as ~0 and ~1. */
  static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  /** Reads a whole document; {@code document} names it in errors. */
  static Node parse(byte[] json, String document) throws LicenseException {
    try (JsonParser parser = FACTORY.createParser(json)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new LicenseException(document + " is empty. " + FIX);
      }
      Object root = value(parser, first);
      if (parser.nextToken() != null) {
        throw new LicenseException(
            document + " is not valid JSON (content after the end of the document). " + FIX);
      }
      return new Node(document, "", root);
    } catch (IOException e) {
      throw new LicenseException(
          document
              + " is not valid JSON ("
              + e.getMessage().lines().findFirst().orElse("")
              + "). "
              + FIX,
          e);
    }
  }

  private static Object value(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT:
        {
          Map<String, Object> object = new LinkedHashMap<>();
          for (JsonToken t = parser.nextToken();
              t != JsonToken.END_OBJECT;
              t = parser.nextToken()) {
            String name = parser.currentName();
            object.put(name, value(parser, parser.nextToken()));
          }
          return object;
        }
      case START_ARRAY:
        {
          List<Object> array = new ArrayList<>();
          for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            array.add(value(parser, t));
          }
          return array;
        }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return parser.getNumberValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      default:
        return null;
    }
  }
}
