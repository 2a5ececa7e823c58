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
 * A JSON document read with jackson-core's streaming parser into plain nodes that know their path,
 * so a wrong type is reported as {@code build_info.extensions._ctypes[0].licenses}. Data binding
 * would load ~500 classes for a few kilobytes of JSON: a third of a licence run.
 */
final class JsonTree {

  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonTree() {}

  /** One value; a missing field reads as a null node. */
  static final class Node {
    private final String document;
    private final String path;
    private final Object value;

    private Node(String document, String path, Object value) {
      this.document = document;
      this.path = path;
      this.value = value;
    }

    boolean isNull() {
      return value == null;
    }

    /** The named field of an object, a null node when absent or when this node is null. */
    Node field(String name) throws LicenseException {
      String child = path.isEmpty() ? name : path + "." + name;
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
          String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
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
        result.add(new Node(document, path + "[" + i + "]", list.get(i)));
      }
      return result;
    }

    /** A string (numbers and booleans as written), or null. */
    String text() throws LicenseException {
      if (value == null || value instanceof String) {
        return (String) value;
      }
      if (value instanceof Map || value instanceof List) {
        throw wrongType("a string");
      }
      return value.toString();
    }

    /** An array of strings, or null. */
    List<String> texts() throws LicenseException {
      if (value == null) {
        return null;
      }
      List<String> result = new ArrayList<>();
      for (Node element : elements()) {
        if (!(element.value instanceof String text)) {
          throw wrongType("an array of strings");
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

    private LicenseException wrongType(String expected) {
      String found =
          value instanceof Map
              ? "an object"
              : value instanceof List ? "an array" : "'" + value + "'";
      return new LicenseException(
          document
              + ": "
              + (path.isEmpty() ? "the document" : path)
              + " should be "
              + expected
              + ", found "
              + found);
    }
  }

  /** Reads a whole document; {@code document} names it in errors. */
  static Node parse(byte[] json, String document) throws LicenseException {
    try (JsonParser parser = FACTORY.createParser(json)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new LicenseException(document + " is empty");
      }
      Object root = value(parser, first);
      if (parser.nextToken() != null) {
        throw new LicenseException(
            document + " is not valid JSON (content after the end of the document)");
      }
      return new Node(document, "", root);
    } catch (IOException e) {
      throw new LicenseException(
          document + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")",
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
