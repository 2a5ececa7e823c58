package dev.pbstoolchain.packagers.rpm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;

/**
 * An rpm header structure (used for both the signature and the main header): magic, an index of
 * (tag, type, offset, count) entries sorted by tag after the region tag, and the data store with
 * each value aligned for its type. The region tag makes the whole header "immutable", which current
 * rpm versions require.
 */
final class RpmHeader {

  static final int CHAR = 1;
  static final int INT16 = 3;
  static final int INT32 = 4;
  static final int INT64 = 5;
  static final int STRING = 6;
  static final int BIN = 7;
  static final int STRING_ARRAY = 8;
  static final int I18NSTRING = 9;

  private record Value(int type, int count, byte[] bytes) {}

  private final int regionTag;
  private final TreeMap<Integer, Value> values = new TreeMap<>();

  RpmHeader(int regionTag) {
    this.regionTag = regionTag;
  }

  RpmHeader string(int tag, String value) {
    values.put(tag, new Value(STRING, 1, cstring(value)));
    return this;
  }

  RpmHeader i18n(int tag, String value) {
    values.put(tag, new Value(I18NSTRING, 1, cstring(value)));
    return this;
  }

  RpmHeader strings(int tag, List<String> list) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String s : list) {
      out.writeBytes(cstring(s));
    }
    values.put(tag, new Value(STRING_ARRAY, list.size(), out.toByteArray()));
    return this;
  }

  RpmHeader int32(int tag, long... list) {
    ByteBuffer b = ByteBuffer.allocate(4 * list.length);
    for (long v : list) {
      b.putInt((int) v);
    }
    values.put(tag, new Value(INT32, list.length, b.array()));
    return this;
  }

  RpmHeader int16(int tag, int... list) {
    ByteBuffer b = ByteBuffer.allocate(2 * list.length);
    for (int v : list) {
      b.putShort((short) v);
    }
    values.put(tag, new Value(INT16, list.length, b.array()));
    return this;
  }

  RpmHeader int64(int tag, long... list) {
    ByteBuffer b = ByteBuffer.allocate(8 * list.length);
    for (long v : list) {
      b.putLong(v);
    }
    values.put(tag, new Value(INT64, list.length, b.array()));
    return this;
  }

  RpmHeader binary(int tag, byte[] bytes) {
    values.put(tag, new Value(BIN, bytes.length, bytes.clone()));
    return this;
  }

  /** The header's bytes: magic, counts, index (region first) and the data store. */
  byte[] toBytes() {
    int entries = values.size() + 1;
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    ByteBuffer index = ByteBuffer.allocate(16 * entries);
    index.position(16);
    for (var e : values.entrySet()) {
      Value v = e.getValue();
      pad(data, alignment(v.type()));
      index.putInt(e.getKey()).putInt(v.type()).putInt(data.size()).putInt(v.count());
      data.writeBytes(v.bytes());
    }
    // The region trailer: a copy of the region's own index entry whose offset is minus the index
    // length, telling rpm that every entry belongs to the immutable region.
    int trailerAt = data.size();
    ByteBuffer trailer = ByteBuffer.allocate(16);
    trailer.putInt(regionTag).putInt(BIN).putInt(-16 * entries).putInt(16);
    data.writeBytes(trailer.array());
    index.putInt(0, regionTag).putInt(4, BIN).putInt(8, trailerAt).putInt(12, 16);
    ByteBuffer header = ByteBuffer.allocate(16 + index.capacity() + data.size());
    header.put(new byte[] {(byte) 0x8e, (byte) 0xad, (byte) 0xe8, 1, 0, 0, 0, 0});
    header.putInt(entries).putInt(data.size());
    header.put(index.array());
    header.put(data.toByteArray());
    return header.array();
  }

  private static int alignment(int type) {
    return switch (type) {
      case INT16 -> 2;
      case INT32 -> 4;
      case INT64 -> 8;
      default -> 1;
    };
  }

  private static void pad(ByteArrayOutputStream data, int alignment) {
    while (data.size() % alignment != 0) {
      data.write(0);
    }
  }

  private static byte[] cstring(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    byte[] withNul = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, withNul, 0, bytes.length);
    return withNul;
  }
}
