package dev.pbstoolchain.core.fetch;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release's {@code SHA256SUMS}: one {@code <64 hex> <file name>} per line, names with a literal
 * {@code +}. Also reads a single-asset {@code .sha256} file (the hash, optionally followed by the
 * name).
 */
public final class Sha256Sums {

  private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64})\\s+\\*?(\\S+)\\s*");
  private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");

  private final Map<String, String> byName;

  private Sha256Sums(Map<String, String> byName) {
    this.byName = Map.copyOf(byName);
  }

  /**
   * What makes {@code text} unusable as a release's SHA256SUMS, or empty when every line is a
   * {@code <sha256> <name>} entry and the last one is complete. A page of HTML, a truncated list or
   * an empty body must never replace a good cached copy.
   */
  public static Optional<String> problem(String text) {
    if (text.isBlank()) {
      return Optional.of("it is empty");
    }
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      if (!LINE.matcher(line).matches()) {
        return Optional.of(
            "line " + (i + 1) + " is not '<sha256>  <file name>': '" + shown(line, 60) + "'");
      }
    }
    if (!text.endsWith("\n")) {
      return Optional.of(
          "its last line '"
              + shown(lines[lines.length - 1], 60)
              + "' has no line end: the file looks cut short");
    }
    return Optional.empty();
  }

  /** Text from a server, made safe to print: control characters escaped, cut to {@code max}. */
  static String shown(String text, int max) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else if (c == 0xfffd) {
        out.append('?'); // a byte that was not UTF-8
      } else {
        out.append(c);
      }
    }
    return text.length() > max ? out + "..." : out.toString();
  }

  /** Parses a SHA256SUMS text; lines that are not hash entries are ignored. */
  public static Sha256Sums parse(String text) {
    Map<String, String> byName = new HashMap<>();
    for (String line : text.split("\\R")) {
      Matcher m = LINE.matcher(line.strip());
      if (m.matches()) {
        byName.put(m.group(2), m.group(1).toLowerCase(Locale.ROOT));
      }
    }
    return new Sha256Sums(byName);
  }

  /** The hash of {@code fileName} (with a literal {@code +}), if listed. */
  public Optional<String> get(String fileName) {
    return Optional.ofNullable(byName.get(fileName));
  }

  /** The listed file names. */
  public Set<String> names() {
    return byName.keySet();
  }

  public int size() {
    return byName.size();
  }

  /** The hash at the start of a {@code .sha256} file. */
  static Optional<String> parseSingle(String text) {
    Matcher m = HASH.matcher(text.strip());
    return m.lookingAt() ? Optional.of(m.group().toLowerCase(Locale.ROOT)) : Optional.empty();
  }

  /** Whether {@code value} looks like a SHA-256 in hex. */
  public static boolean isSha256(String value) {
    return value != null && HASH.matcher(value.strip()).matches();
  }
}
