package dev.pbstoolchain.packagers.deflate;

import dev.pbstoolchain.packagers.ChannelIo;
import dev.pbstoolchain.packagers.Digests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

/**
 * Deflated bodies kept on disk between builds and goals, so that pbs:image splices what pbs:package
 * deflated (and a rebuild of unchanged files deflates nothing). A body is found by the SHA-256 of
 * the file's content in a directory named after everything else its bytes depend on: the level, the
 * block and dictionary sizes, and a fingerprint of the encoder's output on a fixed sample (a
 * changed encoder never meets the old bodies). The bytes are the same with or without the cache.
 *
 * <p>Bodies are stored in packs: one file per build that deflated something, written beside the
 * others as a hidden temp (the spill of {@link DeflatedBodies} itself), then its index appended,
 * fsynced and renamed into place; a pack is never changed after that. A pack ends with {@code
 * [index: per body sha256(32) md5(16) crc(4) size(8) offset(8) length(8)][count(4) indexOffset(8)
 * indexCrc32(4) magic(8)]}. Packs past {@link #DEFAULT_MAX_BYTES} go oldest use first; temps of
 * dead builds (no lock held) are removed when a cache opens.
 */
public final class BodyCache implements AutoCloseable {

  /** What the packs of a directory may hold together before the least recently used go. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  /** Bump when the pack layout changes. */
  private static final String FORMAT = "v1";

  private static final byte[] MAGIC =
      "PBSBODY1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int ENTRY = 32 + 16 + 4 + 8 + 8 + 8;
  private static final int TRAILER = 4 + 8 + 4 + 8;
  private static final String PACK_SUFFIX = ".bodies";
  private static final String TEMP_PREFIX = ".pack-";
  private static final String TEMP_SUFFIX = ".tmp";

  /** Temps this JVM is writing: never cleaned as stale, whatever their lock says. */
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  private static volatile String fingerprint;

  /**
   * A cached body.
   *
   * @param channel the pack holding it
   * @param offset where the body starts in the pack
   * @param length its compressed length
   * @param size the file's length
   * @param crc CRC-32 of the file
   * @param md5 MD5 of the file
   * @param sha256 SHA-256 of the file (the key)
   */
  record Hit(
      FileChannel channel,
      Path pack,
      long offset,
      long length,
      long size,
      long crc,
      byte[] md5,
      byte[] sha256) {}

  private final Path dir;
  private final long maxBytes;
  private final Map<Key, Hit> index = new HashMap<>();
  private final List<FileChannel> open = new ArrayList<>();
  private final Set<Path> used = ConcurrentHashMap.newKeySet();

  private BodyCache(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  /**
   * Opens (creating it) the cache under {@code root} for bodies at {@code level}: reads the index
   * of every pack and removes temps no live build holds.
   */
  public static BodyCache open(Path root, int level, long maxBytes) throws IOException {
    Path dir =
        root.resolve(
            FORMAT
                + "-l"
                + level
                + "-b"
                + BlockDeflater.BLOCK
                + "-d"
                + BlockDeflater.DICTIONARY
                + "-"
                + fingerprint(root, level));
    Files.createDirectories(dir);
    BodyCache cache = new BodyCache(dir, maxBytes);
    cache.cleanStaleTemps();
    try (DirectoryStream<Path> packs = Files.newDirectoryStream(dir, "*" + PACK_SUFFIX)) {
      for (Path pack : packs) {
        cache.load(pack);
      }
    }
    return cache;
  }

  /** The directory the packs of this level and encoder lie in. */
  public Path dir() {
    return dir;
  }

  /** How many bodies the packs hold. */
  public int size() {
    return index.size();
  }

  /** The cached body of content with this SHA-256 and length, or null. */
  Hit find(byte[] sha256, long size) {
    Hit hit = index.get(new Key(sha256));
    if (hit == null || hit.size() != size) {
      return null;
    }
    used.add(hit.pack());
    return hit;
  }

  /** A new hidden temp in the cache's directory to write a pack into, held as live. */
  Path newTemp() throws IOException {
    Path temp = Files.createTempFile(dir, TEMP_PREFIX, TEMP_SUFFIX);
    LIVE.add(temp);
    return temp;
  }

  /** Forgets a temp that will not become a pack (deleting it). */
  void discard(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // the next open removes it
    } finally {
      LIVE.remove(temp);
    }
  }

  /**
   * Appends the index of {@code bodies} to the temp pack whose bytes {@code spill} holds up to
   * {@code end}, fsyncs it and renames it into place, then trims the cache to its bound.
   */
  void commit(Path temp, FileChannel spill, long end, List<DeflatedBodies.Body> bodies)
      throws IOException {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(bodies.size() * ENTRY + TRAILER);
      for (DeflatedBodies.Body b : bodies) {
        buffer.put(b.sha256()).put(b.md5()).putInt((int) b.crc());
        buffer.putLong(b.size()).putLong(b.offset()).putLong(b.length());
      }
      CRC32 crc = new CRC32();
      crc.update(buffer.array(), 0, buffer.position());
      buffer.putInt(bodies.size()).putLong(end).putInt((int) crc.getValue()).put(MAGIC);
      buffer.flip();
      spill.truncate(end);
      ChannelIo.writeFully(spill, buffer, end);
      spill.force(true);
      MessageDigest name = Digests.sha256();
      name.update(buffer.array());
      Path pack =
          dir.resolve("pack-" + HexFormat.of().formatHex(name.digest(), 0, 12) + PACK_SUFFIX);
      try {
        Files.move(temp, pack, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, pack, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory();
      used.add(pack);
    } finally {
      LIVE.remove(temp);
      Files.deleteIfExists(temp);
    }
  }

  /** Marks the packs that served this build as used, then trims the cache to its bound. */
  @Override
  public void close() throws IOException {
    FileTime now = FileTime.fromMillis(System.currentTimeMillis());
    for (Path pack : used) {
      try {
        Files.setLastModifiedTime(pack, now);
      } catch (NoSuchFileException e) {
        // another build trimmed it: ours is read already
      }
    }
    try {
      trim();
    } finally {
      for (FileChannel channel : open) {
        channel.close();
      }
    }
  }

  /** Deletes the least recently used packs (never one this build used) past the bound. */
  private void trim() throws IOException {
    List<Path> packs = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + PACK_SUFFIX)) {
      stream.forEach(packs::add);
    }
    Map<Path, long[]> stat = new HashMap<>();
    long total = 0;
    for (Path p : packs) {
      try {
        long size = Files.size(p);
        stat.put(p, new long[] {size, Files.getLastModifiedTime(p).toMillis()});
        total += size;
      } catch (NoSuchFileException e) {
        // trimmed meanwhile
      }
    }
    List<Path> oldestFirst = new ArrayList<>(stat.keySet());
    oldestFirst.sort(Comparator.comparingLong((Path p) -> stat.get(p)[1]).thenComparing(p -> p));
    for (Path p : oldestFirst) {
      if (total <= maxBytes) {
        break;
      }
      if (used.contains(p)) {
        continue;
      }
      // An open reader (another build) keeps reading it: the file goes when it closes.
      Files.deleteIfExists(p);
      total -= stat.get(p)[0];
    }
  }

  private void cleanStaleTemps() throws IOException {
    try (DirectoryStream<Path> temps =
        Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
      for (Path temp : temps) {
        if (LIVE.contains(temp)) {
          continue;
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          if (channel.tryLock() == null) {
            continue; // a build in another process is writing it
          }
        } catch (NoSuchFileException e) {
          continue;
        } catch (java.nio.channels.OverlappingFileLockException e) {
          continue;
        }
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Reads a pack's index; a pack that does not read whole is left out (and trimmed in time). */
  private void load(Path pack) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(pack, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return;
    }
    try {
      long size = channel.size();
      if (size < TRAILER) {
        channel.close();
        return;
      }
      ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
      ChannelIo.readFully(channel, trailer, size - TRAILER, "body pack " + pack);
      trailer.flip();
      int count = trailer.getInt();
      long indexOffset = trailer.getLong();
      int indexCrc = trailer.getInt();
      byte[] magic = new byte[MAGIC.length];
      trailer.get(magic);
      if (!Arrays.equals(magic, MAGIC)
          || count < 0
          || indexOffset < 0
          || indexOffset + (long) count * ENTRY + TRAILER != size) {
        channel.close();
        return;
      }
      ByteBuffer entries = ByteBuffer.allocate(count * ENTRY);
      ChannelIo.readFully(channel, entries, indexOffset, "body pack " + pack);
      CRC32 crc = new CRC32();
      crc.update(entries.array());
      if ((int) crc.getValue() != indexCrc) {
        channel.close();
        return;
      }
      entries.flip();
      Map<Key, Hit> found = new HashMap<>();
      for (int i = 0; i < count; i++) {
        byte[] sha256 = new byte[32];
        byte[] md5 = new byte[16];
        entries.get(sha256).get(md5);
        long crc32 = entries.getInt() & 0xffffffffL;
        long fileSize = entries.getLong();
        long offset = entries.getLong();
        long length = entries.getLong();
        if (offset < 0 || length < 0 || offset + length > indexOffset || fileSize < 0) {
          channel.close();
          return;
        }
        found.put(
            new Key(sha256), new Hit(channel, pack, offset, length, fileSize, crc32, md5, sha256));
      }
      found.forEach(index::putIfAbsent);
      open.add(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
    }
  }

  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // not every platform syncs a directory; the pack itself is synced
    }
  }

  /**
   * {@link #fingerprint(int)}, which this JVM probes once; another JVM with the same encoder reads
   * it from the memo the first one left under {@code root} (pbs:image after pbs:package in its own
   * JVM, every CLI run), instead of deflating the sample again (~0.2 s of CPU on a cold JVM).
   */
  static String fingerprint(Path root, int level) {
    String known = fingerprint;
    if (known != null && known.startsWith(level + ":")) {
      return known.substring(known.indexOf(':') + 1);
    }
    String hex = memoised(root, level);
    fingerprint = level + ":" + hex;
    return hex;
  }

  /**
   * The fingerprint from the memo {@code root/.encoders/l<level>-<code>}, where {@code code} is the
   * SHA-256 of the bytes of the classes that make the probe's output (the encoder's and this one),
   * so a changed encoder finds no memo; without a readable memo the probe runs and leaves one.
   */
  static String memoised(Path root, int level) {
    Path memo = null;
    byte[] code = encoderCode();
    if (code != null) {
      memo = root.resolve(MEMOS).resolve("l" + level + "-" + HexFormat.of().formatHex(code, 0, 16));
      try {
        String text = Files.readString(memo, java.nio.charset.StandardCharsets.US_ASCII);
        if (text.matches("[0-9a-f]{12}")) {
          return text;
        }
      } catch (IOException | RuntimeException e) {
        // no memo yet, or unreadable: probe
      }
    }
    String hex = fingerprint(level);
    if (memo != null) {
      try {
        Files.createDirectories(memo.getParent());
        Path temp = Files.createTempFile(memo.getParent(), ".memo-", ".tmp");
        try {
          Files.writeString(temp, hex, java.nio.charset.StandardCharsets.US_ASCII);
          Files.move(temp, memo, StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(temp);
        }
      } catch (IOException | RuntimeException e) {
        // a memo only saves time: the next JVM probes again
      }
    }
    return hex;
  }

  /** Where the fingerprint memos lie, beside the directories of bodies. */
  private static final String MEMOS = ".encoders";

  /** The classes whose bytes decide {@link #fingerprint(int)}: what the encoder runs, the probe. */
  private static final List<String> ENCODER_CLASSES =
      List.of(
          "DeflateEncoder.class",
          "DeflateEncoder$Effort.class",
          "HuffmanCode.class",
          "BitWriter.class",
          "BlockDeflater.class",
          "BodyCache.class");

  /** The SHA-256 of {@link #ENCODER_CLASSES}' bytes, or null when one cannot be read. */
  private static byte[] encoderCode() {
    MessageDigest digest = Digests.sha256();
    for (String name : ENCODER_CLASSES) {
      try (java.io.InputStream in = BodyCache.class.getResourceAsStream(name)) {
        if (in == null) {
          return null;
        }
        byte[] bytes = in.readAllBytes();
        digest.update(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        digest.update(ByteBuffer.allocate(8).putLong(bytes.length).array());
        digest.update(bytes);
      } catch (IOException e) {
        return null;
      }
    }
    return digest.digest();
  }

  /**
   * The encoder's output on a fixed sample of several blocks (text-like, with repeats the
   * dictionary finds), as 12 hex digits: part of the directory name.
   */
  static String fingerprint(int level) {
    String known = fingerprint;
    if (known != null && known.startsWith(level + ":")) {
      return known.substring(known.indexOf(':') + 1);
    }
    byte[] sample = new byte[BlockDeflater.BLOCK * 2 + 4099];
    long seed = 0x9E3779B97F4A7C15L;
    String words = "the quick brown fox jumps over lazy dogs import def return self None ";
    for (int i = 0; i < sample.length; i++) {
      seed = seed * 6364136223846793005L + 1442695040888963407L;
      int r = (int) (seed >>> 33);
      sample[i] =
          (r & 7) == 0 ? (byte) r : (byte) words.charAt(Math.floorMod(r >> 3, words.length()));
    }
    MessageDigest digest = Digests.sha256();
    byte[] dictionary = null;
    for (int at = 0; at < sample.length; at += BlockDeflater.BLOCK) {
      int n = Math.min(BlockDeflater.BLOCK, sample.length - at);
      byte[] block = Arrays.copyOfRange(sample, at, at + n);
      boolean last = at + n >= sample.length;
      digest.update(BlockDeflater.deflate(block, n, dictionary, level, last));
      dictionary = Arrays.copyOfRange(block, Math.max(0, n - BlockDeflater.DICTIONARY), n);
    }
    String hex = HexFormat.of().formatHex(digest.digest(), 0, 6);
    fingerprint = level + ":" + hex;
    return hex;
  }

  private record Key(byte[] sha256) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(sha256, k.sha256);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(sha256);
    }
  }
}
