package dev.pbstoolchain.publishing.signing;

import java.util.ArrayList;
import java.util.List;

/**
 * The cleartext signature framework (RFC 4880 7.1): what is signed is the text with trailing spaces
 * and tabs removed from every line and lines joined by CRLF, without the line break before the
 * signature; what is shown dash-escapes lines that begin with '-'.
 */
final class ClearText {

  private final List<String> lines;

  private ClearText(List<String> lines) {
    this.lines = lines;
  }

  static ClearText of(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
      // The text's own last newline becomes the line break before the signature.
      lines.remove(lines.size() - 1);
    }
    return new ClearText(lines);
  }

  /** The bytes a text-mode signature covers. */
  String canonical() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        out.append("\r\n");
      }
      out.append(stripTrailingBlanks(stripCarriageReturn(lines.get(i))));
    }
    return out.toString();
  }

  /** The clear-signed message: header, dash-escaped text, the armored signature. */
  String framed(HashAlgorithm hash, String armoredSignature) {
    StringBuilder out = new StringBuilder();
    out.append("-----BEGIN PGP SIGNED MESSAGE-----\n");
    out.append("Hash: ").append(hash.armorName()).append("\n\n");
    for (String line : lines) {
      String shown = stripCarriageReturn(line);
      if (shown.startsWith("-")) {
        out.append("- ");
      }
      out.append(shown).append('\n');
    }
    out.append(armoredSignature);
    return out.toString();
  }

  private static String stripCarriageReturn(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static String stripTrailingBlanks(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
      end--;
    }
    return line.substring(0, end);
  }
}
