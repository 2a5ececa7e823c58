package dev.pbstoolchain.publishing.rpm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lays out an rpm header from its entries: the region tag's entry first, the others sorted by tag,
 * each value aligned for its type in the store, and the region trailer (a copy of the region entry
 * whose offset is minus the index length) at the store's end, which makes every entry part of the
 * immutable region rpm checks signatures over.
 */
public final class RpmHeaderWriter {

  private static final byte[] MAGIC = {(byte) 0x8e, (byte) 0xad, (byte) 0xe8, 1, 0, 0, 0, 0};

  private RpmHeaderWriter() {}

  public static byte[] write(int regionTag, List<RpmHeader.Entry> entries) {
    List<RpmHeader.Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingInt(RpmHeader.Entry::tag));
    int count = sorted.size() + 1;
    ByteArrayOutputStream store = new ByteArrayOutputStream();
    ByteBuffer index = ByteBuffer.allocate(RpmHeader.INDEX_ENTRY * count);
    index.position(RpmHeader.INDEX_ENTRY);
    for (RpmHeader.Entry e : sorted) {
      int alignment = alignment(e.type());
      while (store.size() % alignment != 0) {
        store.write(0);
      }
      index.putInt(e.tag()).putInt(e.type()).putInt(store.size()).putInt(e.count());
      store.writeBytes(e.value());
    }
    int trailerAt = store.size();
    ByteBuffer trailer = ByteBuffer.allocate(RpmHeader.INDEX_ENTRY);
    trailer
        .putInt(regionTag)
        .putInt(RpmHeader.BIN)
        .putInt(-RpmHeader.INDEX_ENTRY * count)
        .putInt(RpmHeader.INDEX_ENTRY);
    store.writeBytes(trailer.array());
    index
        .putInt(0, regionTag)
        .putInt(4, RpmHeader.BIN)
        .putInt(8, trailerAt)
        .putInt(12, RpmHeader.INDEX_ENTRY);
    ByteBuffer header =
        ByteBuffer.allocate(RpmHeader.MAGIC_AND_COUNTS + index.capacity() + store.size());
    header.put(MAGIC).putInt(count).putInt(store.size());
    header.put(index.array()).put(store.toByteArray());
    return header.array();
  }

  private static int alignment(int type) {
    return switch (type) {
      case RpmHeader.INT16 -> 2;
      case RpmHeader.INT32 -> 4;
      case RpmHeader.INT64 -> 8;
      default -> 1;
    };
  }
}
