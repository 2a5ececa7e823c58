package dev.pbstoolchain.core.fetch;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What a server really sent in place of an archive, in words: how many bytes, the Content-Type it
 * claimed, and, when the bytes do not start as the archive format does, how they start (an HTML
 * login page, a JSON error...). A SHA-256 mismatch then says why, not just that.
 */
final class ReceivedBytes {

  private static final byte[] GZIP = {0x1f, (byte) 0x8b};
  private static final byte[] ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

  private ReceivedBytes() {}

  static String describe(long bytes, String contentType, byte[] head, ReleaseAsset asset) {
    StringBuilder text = new StringBuilder().append(bytes).append(" bytes received");
    if (contentType != null && !contentType.isBlank()) {
      text.append(", Content-Type ").append(contentType);
    }
    byte[] magic = asset.isFull() ? ZSTD : GZIP;
    if (head.length > 0 && !startsWith(head, magic)) {
      text.append(", not ")
          .append(asset.isFull() ? "zstd" : "gzip")
          .append(" data: it starts ")
          .append(shown(head));
    }
    return text.toString();
  }

  private static boolean startsWith(byte[] head, byte[] magic) {
    if (head.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (head[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /** Printable text as text, anything else in hex. */
  private static String shown(byte[] head) {
    int printable = 0;
    for (byte b : head) {
      if (b >= 0x20 && b < 0x7f || b == '\n' || b == '\r' || b == '\t') {
        printable++;
      }
    }
    if (printable >= head.length * 9 / 10) {
      return "'" + Sha256Sums.shown(new String(head, StandardCharsets.UTF_8).strip(), 60) + "'";
    }
    int shown = Math.min(head.length, 16);
    return "with bytes "
        + HexFormat.ofDelimiter(" ").formatHex(head, 0, shown).toLowerCase(Locale.ROOT)
        + (head.length > shown ? " ..." : "");
  }
}
