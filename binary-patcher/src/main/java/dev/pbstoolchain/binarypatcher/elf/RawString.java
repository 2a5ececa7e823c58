package dev.pbstoolchain.binarypatcher.elf;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * ELF strings are bytes, not text: a RUNPATH may hold a Latin-1 byte that is no UTF-8. Inside the
 * editor every string is kept "raw", one char per byte (ISO-8859-1), so lengths and comparisons are
 * byte-exact. The public API speaks UTF-8 with Python's "surrogateescape": a byte that is no UTF-8
 * becomes the lone surrogate U+DC80..U+DCFF and turns back into that byte, so a name read from a
 * file and handed back to an edit names the same bytes (a replacement character would name none).
 */
final class RawString {

  /** Lone low surrogates U+DC80..U+DCFF stand for the undecodable bytes 0x80..0xFF. */
  private static final int ESCAPE = 0xdc00;

  private RawString() {}

  /**
   * The raw form of a user's string: its UTF-8 bytes, escaped bytes as themselves, one char each.
   */
  static String of(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder raw = new StringBuilder(text.length());
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= ESCAPE + 0x80 && c <= ESCAPE + 0xff && !pairedLow(text, i)) {
        raw.append(latin1(text.substring(from, i))).append((char) (c - ESCAPE));
        from = i + 1;
      }
    }
    return raw.append(latin1(text.substring(from))).toString();
  }

  private static boolean pairedLow(String text, int i) {
    return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
  }

  private static String latin1(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), latin1());
  }

  /** The bytes of a raw string. */
  static byte[] bytes(String raw) {
    return raw.getBytes(latin1());
  }

  /** A raw string read as UTF-8; bytes that are no UTF-8 become U+DC80..U+DCFF (see above). */
  static String text(String raw) {
    if (raw == null) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes(raw));
    CharBuffer out = CharBuffer.allocate(raw.length());
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isUnderflow()) {
        break;
      }
      if (result.isOverflow()) {
        throw new IllegalStateException("UTF-8 never decodes to more chars than bytes");
      }
      for (int i = 0; i < result.length(); i++) {
        out.put((char) (ESCAPE + (in.get() & 0xff)));
      }
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  static java.nio.charset.Charset latin1() {
    return StandardCharsets.ISO_8859_1;
  }
}
