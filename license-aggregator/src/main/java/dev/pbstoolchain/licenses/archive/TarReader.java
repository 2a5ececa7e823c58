package dev.pbstoolchain.licenses.archive;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Walks a tar stream entry by entry over chunks of bytes, passing over the data of entries nobody
 * reads without copying it: in a PBS full archive that is all but a few hundred KB of hundreds of
 * MB. Understands POSIX ustar, pax extended headers ({@code path}, {@code size}) and GNU long
 * names.
 */
final class TarReader {

  /** Where the bytes come from, a chunk at a time. */
  interface Source {
    /** The next chunk, with bytes remaining, or null at the end of the stream. */
    ByteBuffer next() throws IOException;
  }

  /** What an entry is. */
  enum Type {
    FILE,
    HARD_LINK,
    SYMLINK,
    DIRECTORY,
    OTHER
  }

  /**
   * An entry's header, resolved through any pax or GNU long-name header before it.
   *
   * @param name the entry's path as stored
   * @param size the bytes of data it carries
   * @param type what it is
   * @param linkName a link's target, as stored (empty for other entries)
   * @param sparse stored as a GNU sparse file: its data is not the file's content
   */
  record Entry(String name, long size, Type type, String linkName, boolean sparse) {
    boolean isFile() {
      return type == Type.FILE;
    }
  }

  /** pax headers and GNU long names are a few hundred bytes; more is a corrupt size field. */
  private static final int MAX_METADATA = 1 << 20;

  private final Source source;
  private final byte[] block = new byte[TarHeader.BLOCK];
  private ByteBuffer chunk = ByteBuffer.allocate(0);
  private long dataLeft;
  private long paddingLeft;

  TarReader(Source source) {
    this.source = source;
  }

  /** Passes over what is left of the current entry; {@link #next} does it too. */
  void finishEntry() throws IOException {
    skip(dataLeft + paddingLeft);
    dataLeft = 0;
    paddingLeft = 0;
  }

  /**
   * The next entry, or null at the end of the archive; what is left of the current one is passed.
   */
  Entry next() throws IOException {
    finishEntry();
    String longName = null;
    String longLink = null;
    Map<String, String> pax = new HashMap<>();
    while (true) {
      if (!read(block, true) || TarHeader.isEnd(block)) {
        return null;
      }
      TarHeader header = TarHeader.from(block);
      switch (header.typeflag()) {
        case 'L' -> longName = cString(metadata(header));
        case 'K' -> longLink = cString(metadata(header));
        // 'X' is the Solaris spelling of the pax extended header.
        case 'x', 'X' -> pax.putAll(paxRecords(metadata(header)));
        case 'g' -> skip(padded(header.size()));
        default -> {
          if (header.sparseExtended()) {
            passSparseExtensions();
          }
          long size = pax.containsKey("size") ? paxNumber(pax.get("size")) : header.size();
          if (!header.hasData()) {
            size = 0;
          }
          dataLeft = size;
          paddingLeft = padded(size) - size;
          // GNU tar's pax sparse files keep their real name in GNU.sparse.name.
          String name =
              pax.getOrDefault(
                  "GNU.sparse.name",
                  pax.getOrDefault("path", longName != null ? longName : header.name()));
          String link =
              pax.getOrDefault("linkpath", longLink != null ? longLink : header.linkname());
          boolean sparse =
              header.typeflag() == 'S'
                  || pax.keySet().stream().anyMatch(key -> key.startsWith("GNU.sparse."));
          return new Entry(name, size, header.type(), link, sparse);
        }
      }
    }
  }

  /** Old GNU sparse files with more than four holes continue their map in extra blocks. */
  private void passSparseExtensions() throws IOException {
    do {
      read(block, false);
    } while (block[TarHeader.GNU_EXTENSION_ISEXTENDED] != 0);
  }

  /** The current entry's data, which must not exceed {@code max} bytes. */
  byte[] content(int max) throws IOException {
    if (dataLeft > max) {
      throw new IOException(
          "the entry claims " + dataLeft + " bytes, more than the " + max + " this file can hold");
    }
    byte[] data = new byte[(int) dataLeft];
    read(data, false);
    dataLeft = 0;
    return data;
  }

  private byte[] metadata(TarHeader header) throws IOException {
    if (header.size() > MAX_METADATA) {
      throw new IOException(
          "a tar metadata header claims " + header.size() + " bytes (corrupt size field)");
    }
    byte[] data = new byte[(int) header.size()];
    read(data, false);
    skip(padded(data.length) - data.length);
    return data;
  }

  /** pax records: {@code "LENGTH KEY=VALUE\n"}, LENGTH counting the whole record. */
  private static Map<String, String> paxRecords(byte[] data) throws IOException {
    Map<String, String> records = new HashMap<>();
    int at = 0;
    while (at < data.length && data[at] != 0) {
      int space = at;
      int length = 0;
      while (space < data.length && data[space] >= '0' && data[space] <= '9' && length < 1 << 24) {
        length = length * 10 + data[space++] - '0';
      }
      int end = at + length;
      if (space == at
          || space >= data.length
          || data[space] != ' '
          || end > data.length
          || end <= space + 1
          || data[end - 1] != '\n') {
        throw new IOException("a pax extended header is malformed at byte " + at);
      }
      String record = new String(data, space + 1, end - space - 2, StandardCharsets.UTF_8);
      int equals = record.indexOf('=');
      if (equals <= 0) {
        throw new IOException("a pax extended header record has no key at byte " + at);
      }
      records.put(record.substring(0, equals), record.substring(equals + 1));
      at = end;
    }
    return records;
  }

  private static long paxNumber(String value) throws IOException {
    try {
      long size = Long.parseLong(value);
      if (size >= 0) {
        return size;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IOException("a pax extended header has a malformed size '" + value + "'");
  }

  private static String cString(byte[] data) {
    int end = 0;
    while (end < data.length && data[end] != 0) {
      end++;
    }
    return new String(data, 0, end, StandardCharsets.UTF_8);
  }

  private static long padded(long size) {
    return (size + TarHeader.BLOCK - 1) & -TarHeader.BLOCK;
  }

  /** Fills {@code into}; false only when {@code endAllowed} and the stream ended before it. */
  private boolean read(byte[] into, boolean endAllowed) throws IOException {
    int done = 0;
    while (done < into.length) {
      if (!chunk.hasRemaining() && !nextChunk(endAllowed && done == 0)) {
        return false;
      }
      int n = Math.min(into.length - done, chunk.remaining());
      chunk.get(into, done, n);
      done += n;
    }
    return true;
  }

  private void skip(long bytes) throws IOException {
    while (bytes > 0) {
      if (!chunk.hasRemaining()) {
        nextChunk(false);
      }
      int n = (int) Math.min(bytes, chunk.remaining());
      chunk.position(chunk.position() + n);
      bytes -= n;
    }
  }

  private boolean nextChunk(boolean endAllowed) throws IOException {
    ByteBuffer next = source.next();
    if (next == null) {
      if (endAllowed) {
        return false;
      }
      throw new EOFException("the archive ends inside an entry");
    }
    chunk = next;
    return true;
  }
}
