package dev.pbstoolchain.packagers.rpm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;

/**
 * An rpm header structure (the signature header and the main header): magic, an index of (tag,
 * type, offset, count) entries sorted by tag after the region tag, and the data store with each
 * value aligned for its type. The region tag makes the whole header "immutable", which current rpm
 * versions require. Each value is checked against its tag's type, and a tag is set once.
 *
 * @param <T> the tags this header takes
 */
final class RpmHeader<T extends HeaderTag> {

  private static final byte[] MAGIC = {(byte) 0x8e, (byte) 0xad, (byte) 0xe8, 1, 0, 0, 0, 0};
  private static final int INDEX_ENTRY = 16;

  private record Value(RpmType type, int count, byte[] bytes) {}

  private final T region;
  private final TreeMap<Integer, Value> values = new TreeMap<>();

  private RpmHeader(T region) {
    this.region = region;
  }

  /** The main header, its region {@link RpmTag#HEADERIMMUTABLE}. */
  static RpmHeader<RpmTag> main() {
    return new RpmHeader<>(RpmTag.HEADERIMMUTABLE);
  }

  /** The signature header, its region {@link SignatureTag#HEADERSIGNATURES}. */
  static RpmHeader<SignatureTag> signature() {
    return new RpmHeader<>(SignatureTag.HEADERSIGNATURES);
  }

  RpmHeader<T> string(T tag, String value) {
    return put(tag, RpmType.STRING, 1, cstring(value));
  }

  RpmHeader<T> i18n(T tag, String value) {
    return put(tag, RpmType.I18NSTRING, 1, cstring(value));
  }

  RpmHeader<T> strings(T tag, List<String> list) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String s : list) {
      out.writeBytes(cstring(s));
    }
    return put(tag, RpmType.STRING_ARRAY, list.size(), out.toByteArray());
  }

  RpmHeader<T> int16(T tag, int... list) {
    ByteBuffer b = ByteBuffer.allocate(2 * list.length);
    for (int v : list) {
      b.putShort((short) v);
    }
    return put(tag, RpmType.INT16, list.length, b.array());
  }

  RpmHeader<T> int32(T tag, long... list) {
    ByteBuffer b = ByteBuffer.allocate(4 * list.length);
    for (long v : list) {
      b.putInt((int) v);
    }
    return put(tag, RpmType.INT32, list.length, b.array());
  }

  RpmHeader<T> int64(T tag, long... list) {
    ByteBuffer b = ByteBuffer.allocate(8 * list.length);
    for (long v : list) {
      b.putLong(v);
    }
    return put(tag, RpmType.INT64, list.length, b.array());
  }

  RpmHeader<T> binary(T tag, byte[] bytes) {
    return put(tag, RpmType.BIN, bytes.length, bytes.clone());
  }

  private RpmHeader<T> put(T tag, RpmType type, int count, byte[] bytes) {
    if (tag.type() != type) {
      throw new IllegalArgumentException(tag + " holds " + tag.type() + ", not " + type);
    }
    if (tag.equals(region)) {
      throw new IllegalArgumentException(tag + " is the region tag, which the header writes");
    }
    if (values.putIfAbsent(tag.number(), new Value(type, count, bytes)) != null) {
      throw new IllegalArgumentException(tag + " is set twice");
    }
    return this;
  }

  /** The header's bytes: magic, counts, index (region first) and the data store. */
  byte[] toBytes() {
    int entries = values.size() + 1;
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    ByteBuffer index = ByteBuffer.allocate(INDEX_ENTRY * entries);
    index.position(INDEX_ENTRY);
    for (var e : values.entrySet()) {
      Value v = e.getValue();
      while (data.size() % v.type().alignment() != 0) {
        data.write(0);
      }
      index.putInt(e.getKey()).putInt(v.type().code()).putInt(data.size()).putInt(v.count());
      data.writeBytes(v.bytes());
    }
    // The region trailer (one index entry long): a copy of the region's own index entry whose
    // offset is minus the index length, telling rpm that every entry belongs to the region.
    int trailerAt = data.size();
    int bin = RpmType.BIN.code();
    ByteBuffer trailer = ByteBuffer.allocate(INDEX_ENTRY);
    trailer.putInt(region.number()).putInt(bin).putInt(-INDEX_ENTRY * entries).putInt(INDEX_ENTRY);
    data.writeBytes(trailer.array());
    index.putInt(0, region.number()).putInt(4, bin).putInt(8, trailerAt).putInt(12, INDEX_ENTRY);
    ByteBuffer header = ByteBuffer.allocate(16 + index.capacity() + data.size());
    header.put(MAGIC);
    header.putInt(entries).putInt(data.size());
    header.put(index.array());
    header.put(data.toByteArray());
    return header.array();
  }

  private static byte[] cstring(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    byte[] withNul = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, withNul, 0, bytes.length);
    return withNul;
  }
}
