package dev.pbstoolchain.publishing.rpm;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One rpm header structure as read from a file (rpm's doc/manual/format.md): magic {@code 8e ad e8
 * 01}, four reserved bytes, the index entry count and the data store size, then the index entries
 * (tag, type, offset, count) and the store. Every offset and count is checked against the store
 * before a value is read.
 */
public final class RpmHeader {

  public static final int MAGIC_AND_COUNTS = 16;
  public static final int INDEX_ENTRY = 16;
  // rpm's own limits (headerMaxbytes, a tag count it accepts).
  static final int MAX_ENTRIES = 0xffff;
  public static final int MAX_STORE = 256 << 20;

  public static final int CHAR = 1;
  public static final int INT8 = 2;
  public static final int INT16 = 3;
  public static final int INT32 = 4;
  public static final int INT64 = 5;
  public static final int STRING = 6;
  public static final int BIN = 7;
  public static final int STRING_ARRAY = 8;
  public static final int I18NSTRING = 9;

  /** The region tags (HEADER_IMAGE .. HEADER_REGIONS): a header's own bookkeeping. */
  static final int FIRST_REGION_TAG = 61;

  static final int LAST_REGION_TAG = 64;

  /** One entry as stored: its tag, type, count and the bytes of its value. */
  public record Entry(int tag, int type, int count, byte[] value) {}

  private record Index(int type, int offset, int count) {}

  private final Map<Integer, Index> entries;
  private final ByteBuffer store;

  private RpmHeader(Map<Integer, Index> entries, ByteBuffer store) {
    this.entries = entries;
    this.store = store;
  }

  /** The size of the index and store given the 16 bytes that start a header. */
  public static long length(ByteBuffer start) {
    return MAGIC_AND_COUNTS
        + (long) INDEX_ENTRY * Integer.toUnsignedLong(start.getInt(8))
        + Integer.toUnsignedLong(start.getInt(12));
  }

  /**
   * Parses a header; {@code bytes} holds exactly the header. Throws IllegalArgumentException naming
   * what is wrong.
   */
  public static RpmHeader parse(ByteBuffer bytes) {
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
    Map<Integer, Index> entries = new LinkedHashMap<>();
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
        throw new IllegalArgumentException(
            "tag " + tag + " points at " + offset + " (count " + n + ")");
      }
      entries.put(tag, new Index(type, offset, n));
    }
    return new RpmHeader(entries, store);
  }

  public boolean has(int tag) {
    return entries.containsKey(tag);
  }

  /** The first string of a STRING, I18NSTRING or STRING_ARRAY tag, or null. */
  public String string(int tag) {
    List<String> all = strings(tag);
    return all.isEmpty() ? null : all.get(0);
  }

  /** The strings of a string tag (one for STRING, the C locale's first for I18NSTRING). */
  public List<String> strings(int tag) {
    Index e = entries.get(tag);
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
      int end = stringEnd(tag, at);
      byte[] raw = new byte[end - at];
      store.get(at, raw);
      values.add(text(raw));
      at = end + 1;
    }
    return values;
  }

  private int stringEnd(int tag, int at) {
    int end = at;
    while (end < store.limit() && store.get(end) != 0) {
      end++;
    }
    if (end >= store.limit()) {
      throw new IllegalArgumentException("tag " + tag + " runs past the header");
    }
    return end;
  }

  /** The numbers of an integer tag (INT8/16/32 unsigned, INT64 as is), or an empty array. */
  public long[] numbers(int tag) {
    Index e = entries.get(tag);
    if (e == null) {
      return new long[0];
    }
    int width = width(tag, e.type());
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

  private static int width(int tag, int type) {
    return switch (type) {
      case CHAR, INT8 -> 1;
      case INT16 -> 2;
      case INT32 -> 4;
      case INT64 -> 8;
      default -> throw new IllegalArgumentException("tag " + tag + " is not a number");
    };
  }

  /** The first number of an integer tag, or {@code fallback} when absent. */
  public long number(int tag, long fallback) {
    long[] values = numbers(tag);
    return values.length == 0 ? fallback : values[0];
  }

  /** Every entry but the region tags, in index order, with its value's bytes (to rewrite it). */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    entries.forEach(
        (tag, e) -> {
          if (tag >= FIRST_REGION_TAG && tag <= LAST_REGION_TAG) {
            return;
          }
          int length =
              switch (e.type()) {
                case BIN -> e.count();
                case STRING -> stringEnd(tag, e.offset()) + 1 - e.offset();
                case STRING_ARRAY, I18NSTRING -> {
                  int at = e.offset();
                  for (int i = 0; i < e.count(); i++) {
                    at = stringEnd(tag, at) + 1;
                  }
                  yield at - e.offset();
                }
                default -> e.count() * width(tag, e.type());
              };
          if ((long) e.offset() + length > store.limit()) {
            throw new IllegalArgumentException("tag " + tag + " runs past the header");
          }
          byte[] value = new byte[length];
          store.get(e.offset(), value);
          out.add(new Entry(tag, e.type(), e.count(), value));
        });
    return out;
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
