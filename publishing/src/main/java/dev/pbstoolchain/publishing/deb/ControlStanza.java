package dev.pbstoolchain.publishing.deb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One paragraph of a Debian control file (deb822): fields in order, names compared without case,
 * values kept as written (continuation lines included, without their final newline).
 */
public final class ControlStanza {

  private final LinkedHashMap<String, Field> fields = new LinkedHashMap<>();

  private record Field(String name, String value) {}

  /** Parses the paragraphs of {@code text}; {@code origin} names the file in messages. */
  public static List<ControlStanza> parseAll(String text, String origin) {
    List<ControlStanza> stanzas = new ArrayList<>();
    ControlStanza current = null;
    String lastName = null;
    int lineNumber = 0;
    for (String line : text.split("\n", -1)) {
      lineNumber++;
      if (line.isBlank()) {
        if (current != null && !current.fields.isEmpty()) {
          stanzas.add(current);
        }
        current = null;
        lastName = null;
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      if (current == null) {
        current = new ControlStanza();
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        if (lastName == null) {
          throw new IllegalArgumentException(
              origin + ":" + lineNumber + ": a continuation line without a field before it");
        }
        current.append(lastName, "\n" + line);
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            origin + ":" + lineNumber + ": expected 'Field: value', found '" + line + "'");
      }
      lastName = line.substring(0, colon);
      current.set(lastName, line.substring(colon + 1).strip());
    }
    if (current != null && !current.fields.isEmpty()) {
      stanzas.add(current);
    }
    return stanzas;
  }

  /** The value of {@code name} (any case), or null. */
  public String get(String name) {
    Field f = fields.get(key(name));
    return f == null ? null : f.value();
  }

  /** Sets a field, keeping its place when it exists, appending it otherwise. */
  public ControlStanza set(String name, String value) {
    Field old = fields.get(key(name));
    fields.put(key(name), new Field(old == null ? name : old.name(), value));
    return this;
  }

  private void append(String name, String more) {
    Field f = fields.get(key(name));
    fields.put(key(name), new Field(f.name(), f.value() + more));
  }

  /** The field names in order, as written. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    fields.values().forEach(f -> names.add(f.name()));
    return Collections.unmodifiableList(names);
  }

  /** A copy whose fields follow {@code order} (names in it first, the rest as they were). */
  public ControlStanza ordered(List<String> order) {
    ControlStanza copy = new ControlStanza();
    Map<String, Field> rest = new LinkedHashMap<>(fields);
    for (String name : order) {
      Field f = rest.remove(key(name));
      if (f != null) {
        copy.fields.put(key(name), f);
      }
    }
    copy.fields.putAll(rest);
    return copy;
  }

  /** The paragraph's text, each field on its line(s), ending with a newline. */
  public String format() {
    StringBuilder out = new StringBuilder();
    for (Field f : fields.values()) {
      out.append(f.name()).append(':');
      if (!f.value().isEmpty() && !f.value().startsWith("\n")) {
        out.append(' ');
      }
      out.append(f.value()).append('\n');
    }
    return out.toString();
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return format();
  }
}
