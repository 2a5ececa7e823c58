package dev.pbstoolchain.publishing.yum;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One rpm header structure as read from a file (rpm's doc/manual/format.md): magic {@code 8e ad e8
 * 01}, four reserved bytes, the index entry count and the data store size, then the index entries
 * (tag, type, offset, count) and the store. Every offset and count is checked against the store
 * before a value is read.
 */
final class RpmHeader {

  static final int MAGIC_AND_COUNTS = 16;
  static final int INDEX_ENTRY = 16;
  // rpm's own limits (headerMaxbytes, a tag count it accepts).
  static final int MAX_ENTRIES = 0xffff;
  static final int MAX_STORE = 256 << 20;

  static final int CHAR = 1;
  static final int INT8 = 2;
  static final int INT16 = 3;
  static final int INT32 = 4;
  static final int INT64 = 5;
  static final int STRING = 6;
  static final int BIN = 7;
  static final int STRING_ARRAY = 8;
  static final int I18NSTRING = 9;

  private record Entry(int type, int offset, int count) {}

  private final Map<Integer, Entry> entries;
  private final ByteBuffer store;

  private RpmHeader(Map<Integer, Entry> entries, ByteBuffer store) {
    this.entries = entries;
    this.store = store;
  }

  /** The size of the index and store given the 16 bytes that start a header. */
  static long length(ByteBuffer start) {
    return MAGIC_AND_COUNTS
        + (long) INDEX_ENTRY * Integer.toUnsignedLong(start.getInt(8))
        + Integer.toUnsignedLong(start.getInt(12));
  }

  /**
   * Parses a header; {@code bytes} holds exactly the header. Throws IllegalArgumentException naming
   * what is wrong.
   */
  static RpmHeader parse(ByteBuffer bytes) {
    if (bytes.remaining() < MAGIC_AND_COUNTS
        || (bytes.get(0) & 0xff) != 0x8e
        || (bytes.get(1) & 0xff) != 0xad
        || (bytes.get(2) & 0xff) != 0xe8
        || bytes.get(3) != 1) {
      throw new IllegalArgumentException("no rpm header magic");
    }
    long count = Integer.toUnsignedLong(bytes.getInt(8));
    long storeSize = Integer.toUnsignedLong(bytes.getInt(12));
    if (count == 0 || count > MAX_ENTRIES || storeSize > MAX_STORE) {
      throw new IllegalArgumentException(
          "a header of " + count + " entries and " + storeSize + " bytes");
    }
    if (bytes.remaining() != length(bytes)) {
      throw new IllegalArgumentException("a header cut short");
    }
    int storeAt = MAGIC_AND_COUNTS + (int) count * INDEX_ENTRY;
    ByteBuffer store = bytes.duplicate().position(storeAt).slice();
    Map<Integer, Entry> entries = new HashMap<>();
    for (int i = 0; i < count; i++) {
      int at = MAGIC_AND_COUNTS + i * INDEX_ENTRY;
      int tag = bytes.getInt(at);
      int type = bytes.getInt(at + 4);
      int offset = bytes.getInt(at + 8);
      int n = bytes.getInt(at + 12);
      if (type < CHAR || type > I18NSTRING) {
        throw new IllegalArgumentException("tag " + tag + " has unknown type " + type);
      }
      if (offset < 0 || offset > storeSize || n < 0 || n > storeSize) {
        // The region trailer's negative offset belongs to the region tag, which we never read.
        if (tag >= 61 && tag <= 64) {
          continue;
        }
        throw new IllegalArgumentException(
            "tag " + tag + " points at " + offset + " (count " + n + ")");
      }
      entries.put(tag, new Entry(type, offset, n));
    }
    return new RpmHeader(entries, store);
  }

  boolean has(int tag) {
    return entries.containsKey(tag);
  }

  /** The first string of a STRING, I18NSTRING or STRING_ARRAY tag, or null. */
  String string(int tag) {
    List<String> all = strings(tag);
    return all.isEmpty() ? null : all.get(0);
  }

  /** The strings of a string tag (one for STRING, the C locale's first for I18NSTRING). */
  List<String> strings(int tag) {
    Entry e = entries.get(tag);
    if (e == null) {
      return List.of();
    }
    if (e.type() != STRING && e.type() != STRING_ARRAY && e.type() != I18NSTRING) {
      throw new IllegalArgumentException("tag " + tag + " is not a string");
    }
    int n = e.type() == STRING ? 1 : e.count();
    List<String> values = new ArrayList<>(Math.min(n, 1 << 16));
    int at = e.offset();
    for (int i = 0; i < n; i++) {
      int end = at;
      while (end < store.limit() && store.get(end) != 0) {
        end++;
      }
      if (end >= store.limit()) {
        throw new IllegalArgumentException("tag " + tag + " runs past the header");
      }
      byte[] raw = new byte[end - at];
      store.get(at, raw);
      values.add(text(raw));
      at = end + 1;
    }
    return values;
  }

  /** The numbers of an integer tag (INT8/16/32 unsigned, INT64 as is), or an empty array. */
  long[] numbers(int tag) {
    Entry e = entries.get(tag);
    if (e == null) {
      return new long[0];
    }
    int width =
        switch (e.type()) {
          case CHAR, INT8 -> 1;
          case INT16 -> 2;
          case INT32 -> 4;
          case INT64 -> 8;
          default -> throw new IllegalArgumentException("tag " + tag + " is not a number");
        };
    if ((long) e.offset() + (long) e.count() * width > store.limit()) {
      throw new IllegalArgumentException("tag " + tag + " runs past the header");
    }
    long[] values = new long[e.count()];
    for (int i = 0; i < values.length; i++) {
      int at = e.offset() + i * width;
      values[i] =
          switch (width) {
            case 1 -> store.get(at) & 0xffL;
            case 2 -> store.getShort(at) & 0xffffL;
            case 4 -> Integer.toUnsignedLong(store.getInt(at));
            default -> store.getLong(at);
          };
    }
    return values;
  }

  /** The first number of an integer tag, or {@code fallback} when absent. */
  long number(int tag, long fallback) {
    long[] values = numbers(tag);
    return values.length == 0 ? fallback : values[0];
  }

  /**
   * Header strings are UTF-8 by convention; createrepo_c reads anything else as Latin-1 (dropping
   * control and C1 bytes), and so do we.
   */
  static String text(byte[] raw) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      StringBuilder out = new StringBuilder();
      for (byte b : raw) {
        int c = b & 0xff;
        if ((c < 32 && c != 9 && c != 10 && c != 13) || (c >= 128 && c < 192)) {
          continue;
        }
        out.append((char) c);
      }
      return out.toString();
    }
  }
}
