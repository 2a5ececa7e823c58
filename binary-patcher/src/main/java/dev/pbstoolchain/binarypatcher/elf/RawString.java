package dev.pbstoolchain.binarypatcher.elf;

import java.nio.charset.StandardCharsets;

/**
 * ELF strings are bytes, not text: a RUNPATH may hold a Latin-1 byte that is no UTF-8. Inside the
 * editor every string is kept "raw", one char per byte (ISO-8859-1), so lengths and comparisons are
 * byte-exact; what users give (Java strings) enters as its UTF-8 bytes, and what the public getters
 * return is decoded as UTF-8.
 */
final class RawString {

  private RawString() {}

  /** The raw form of a user's string: its UTF-8 bytes, one char each. */
  static String of(String text) {
    return text == null ? null : new String(text.getBytes(StandardCharsets.UTF_8), latin1());
  }

  /** The bytes of a raw string. */
  static byte[] bytes(String raw) {
    return raw.getBytes(latin1());
  }

  /** A raw string read as UTF-8 (bytes that are no UTF-8 become U+FFFD). */
  static String text(String raw) {
    return raw == null ? null : new String(bytes(raw), StandardCharsets.UTF_8);
  }

  static java.nio.charset.Charset latin1() {
    return StandardCharsets.ISO_8859_1;
  }
}
