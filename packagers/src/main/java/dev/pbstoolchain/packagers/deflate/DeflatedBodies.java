package dev.pbstoolchain.packagers.deflate;

import dev.pbstoolchain.packagers.ChannelIo;
import dev.pbstoolchain.packagers.Digests;
import dev.pbstoolchain.packagers.layout.Content;
import dev.pbstoolchain.packagers.layout.Entry;
import dev.pbstoolchain.packagers.layout.Layout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

/**
 * Every file's content deflated once, on every core, kept in a spill file beside the artifacts so
 * that tar.gz, the deb's data.tar.gz, the rpm's gzip payload and the zip entries splice the same
 * bytes instead of compressing the tree four times. A body is raw deflate ending on a byte-aligned
 * sync flush (never a final block), so it can sit anywhere in a longer stream; its CRC-32, MD5 and
 * SHA-256 are taken in the same read.
 */
public final class DeflatedBodies implements AutoCloseable {

  /**
   * One file's deflated content.
   *
   * @param offset where it starts in the spill file
   * @param length its compressed length
   * @param size the file's length
   * @param crc CRC-32 of the file
   * @param md5 the file's MD5, or null when the bodies were made without it
   * @param sha256 the file's SHA-256, or null likewise
   */
  public record Body(long offset, long length, long size, long crc, byte[] md5, byte[] sha256) {}

  /** The per-file digests the packagers need. */
  public enum Digest {
    MD5,
    SHA256
  }

  private static final String SPILL = "The spill file of deflated bodies";

  private final int level;
  private final Set<Digest> digests;
  private final FileChannel spill;
  private final BodyCache cache;
  private final Path pack;
  private final List<Body> fresh = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Map<Body, FileChannel> cached = new ConcurrentHashMap<>();
  private final Map<Content, CompletableFuture<Body>> bodies = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> production = new CompletableFuture<>();
  private volatile boolean closing;
  private Thread producer;
  private long end;

  private DeflatedBodies(Path dir, int level, Set<Digest> digests, BodyCache cache)
      throws IOException {
    this.level = level;
    this.cache = cache;
    if (cache == null) {
      this.digests = digests;
      this.pack = null;
      Files.createDirectories(dir);
      Path file = Files.createTempFile(dir, ".pbs-bodies-", ".tmp");
      spill =
          FileChannel.open(
              file,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE,
              StandardOpenOption.DELETE_ON_CLOSE);
    } else {
      // Cached bodies serve every format: they carry every digest.
      this.digests = EnumSet.allOf(Digest.class);
      this.pack = cache.newTemp();
      FileChannel channel = null;
      try {
        channel = FileChannel.open(pack, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel.lock(); // held while the pack is written: no other build cleans it as stale
      } catch (IOException | RuntimeException e) {
        if (channel != null) {
          channel.close();
        }
        cache.discard(pack);
        throw e;
      }
      spill = channel;
    }
  }

  /**
   * Deflates the content of every file of the layouts (each source once) into a spill file in
   * {@code dir}, at {@link Gzip#LEVEL}, taking the given digests of each file (deb needs MD5, rpm
   * SHA-256, tar.gz and zip none).
   */
  public static DeflatedBodies of(Collection<Layout> layouts, Path dir, Set<Digest> digests)
      throws IOException {
    return of(layouts, dir, digests, null);
  }

  /**
   * Like {@link #of(Collection, Path, Set)}, taking the bodies of files whose content was deflated
   * before (by this or an earlier build, e.g. pbs:package before pbs:image) from the {@link
   * BodyCache} under {@code cacheRoot}, and adding the others to it. The bytes are the same as
   * without the cache. With {@code cacheRoot} null, or a cache that cannot be opened, everything is
   * deflated here and nothing kept.
   */
  public static DeflatedBodies of(
      Collection<Layout> layouts, Path dir, Set<Digest> digests, Path cacheRoot)
      throws IOException {
    BodyCache cache = null;
    if (cacheRoot != null) {
      try {
        cache = BodyCache.open(cacheRoot, Gzip.LEVEL, BodyCache.DEFAULT_MAX_BYTES);
      } catch (IOException | RuntimeException e) {
        cache = null; // a cache is an optimisation: without it the bytes are the same
      }
    }
    DeflatedBodies result;
    try {
      result = new DeflatedBodies(dir, Gzip.LEVEL, digests, cache);
    } catch (IOException | RuntimeException e) {
      if (cache == null) {
        throw e;
      }
      cache.close();
      result = new DeflatedBodies(dir, Gzip.LEVEL, digests, null);
    }
    try {
      Map<Content, Entry> files = new LinkedHashMap<>();
      for (Layout layout : layouts) {
        for (Entry e : layout.entries()) {
          if (e.isFile()) {
            files.putIfAbsent(e.content(), e);
          }
        }
      }
      for (Content content : files.keySet()) {
        result.bodies.put(content, new CompletableFuture<>());
      }
      result.produce(List.copyOf(files.values()));
      return result;
    } catch (RuntimeException e) {
      result.close();
      throw e;
    }
  }

  /** The deflate level of the bodies, which the archive bytes between them are deflated at too. */
  public int level() {
    return level;
  }

  /**
   * Fails unless every body carries the digests {@code artifact} needs (the caller made these
   * bodies for other formats).
   */
  public void require(Set<Digest> needed, String artifact) {
    if (!digests.containsAll(needed)) {
      throw new IllegalArgumentException(
          artifact + " needs " + needed + ", and these deflated bodies have " + digests);
    }
  }

  /**
   * Deflates the files on a thread of its own, so that a writer can splice the first bodies while
   * later ones are still being compressed; every body not yet made fails if this does.
   */
  private void produce(List<Entry> files) {
    producer =
        new Thread(
            () -> {
              try {
                deflate(files);
                production.complete(null);
              } catch (Throwable e) {
                bodies.values().forEach(body -> body.completeExceptionally(e));
                production.completeExceptionally(e);
              }
            },
            "pbs-bodies");
    producer.setDaemon(true);
    producer.start();
  }

  /**
   * The body of a file entry, waiting until it is deflated, or deflating it now if no layout given
   * up front had it.
   */
  public Body body(Entry file) throws IOException {
    Content content = file.content();
    CompletableFuture<Body> body = bodies.get(content);
    if (body == null) {
      await(production);
      synchronized (this) {
        body = bodies.get(content);
        if (body == null) {
          body = new CompletableFuture<>();
          bodies.put(content, body);
          try {
            deflate(List.of(file));
          } catch (IOException | RuntimeException e) {
            body.completeExceptionally(e);
          }
        }
      }
    }
    return await(body);
  }

  private static <T> T await(CompletableFuture<T> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for compressed file contents", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw new IOException(io.getMessage(), io);
      }
      throw new IOException("compression failed: " + cause, cause);
    }
  }

  /** Copies a body's compressed bytes to out. */
  public void copy(Body body, OutputStream out) throws IOException {
    // Most bodies are a few KB: a 64 KiB buffer for each would be most of the garbage made here.
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(64 * 1024, body.length()));
    FileChannel source = source(body);
    long position = body.offset();
    long remaining = body.length();
    while (remaining > 0) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
      ChannelIo.readFully(source, buffer, position, SPILL);
      out.write(buffer.array(), 0, buffer.limit());
      position += buffer.limit();
      remaining -= buffer.limit();
    }
  }

  /** A body's compressed bytes as a stream. */
  public InputStream open(Body body) {
    return ChannelIo.inputStream(source(body), body.offset(), body.length(), SPILL);
  }

  /** A file being read: its digests, and where its body starts once its first block is written. */
  private static final class Reading {
    final Entry entry;
    final CompletableFuture<Body> body;
    final CRC32 crc = new CRC32();
    final MessageDigest md5;
    final MessageDigest sha256;
    long size;
    long start;

    Reading(Entry entry, CompletableFuture<Body> body, Set<Digest> digests) {
      this.entry = entry;
      this.body = body;
      md5 = digests.contains(Digest.MD5) ? Digests.md5() : null;
      sha256 = digests.contains(Digest.SHA256) ? Digests.sha256() : null;
    }
  }

  private record Block(Future<byte[]> deflated, Reading file, boolean first, boolean last) {}

  private void deflate(Collection<Entry> files) throws IOException {
    ArrayDeque<Block> pending = new ArrayDeque<>();
    for (Entry e : files) {
      if (closing) {
        throw new IOException("closed before every file was compressed");
      }
      if (cache != null && fromCache(e)) {
        continue;
      }
      Reading file = new Reading(e, bodies.get(e.content()), digests);
      try (InputStream in = e.content().open()) {
        byte[] dictionary = null;
        byte[] block = in.readNBytes(BlockDeflater.BLOCK);
        boolean first = true;
        while (true) {
          byte[] next =
              block.length == BlockDeflater.BLOCK ? in.readNBytes(BlockDeflater.BLOCK) : null;
          boolean last = next == null || next.length == 0;
          file.crc.update(block);
          if (file.md5 != null) {
            file.md5.update(block);
          }
          if (file.sha256 != null) {
            file.sha256.update(block);
          }
          file.size += block.length;
          byte[] input = block;
          byte[] dict = dictionary;
          Future<byte[]> deflated =
              block.length == 0
                  ? CompletableFuture.completedFuture(new byte[0])
                  : BlockDeflater.POOL.submit(
                      () -> BlockDeflater.deflate(input, input.length, dict, level, false));
          pending.add(new Block(deflated, file, first, last));
          while (pending.size() >= BlockDeflater.IN_FLIGHT) {
            write(pending.poll());
          }
          if (last) {
            break;
          }
          dictionary =
              Arrays.copyOfRange(
                  block, Math.max(0, block.length - BlockDeflater.DICTIONARY), block.length);
          block = next;
          first = false;
        }
      }
      if (file.size != e.size()) {
        throw new IOException(
            e.content()
                + " changed while packaging ("
                + file.size
                + " bytes, expected "
                + e.size()
                + ")");
      }
    }
    while (!pending.isEmpty()) {
      write(pending.poll());
    }
  }

  private void write(Block block) throws IOException {
    byte[] bytes;
    try {
      bytes = block.deflated().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while compressing", e);
    } catch (ExecutionException e) {
      throw new IOException("compression failed: " + e.getCause(), e.getCause());
    }
    Reading file = block.file();
    if (block.first()) {
      file.start = end;
    }
    ChannelIo.writeFully(spill, ByteBuffer.wrap(bytes), end);
    end += bytes.length;
    if (block.last()) {
      Body body =
          new Body(
              file.start,
              end - file.start,
              file.size,
              file.crc.getValue(),
              file.md5 == null ? null : file.md5.digest(),
              file.sha256 == null ? null : file.sha256.digest());
      if (cache != null) {
        fresh.add(body);
      }
      file.body.complete(body);
    }
  }

  /**
   * Completes the file's body from the cache when its content (SHA-256, read here once) was
   * deflated before; false to deflate it.
   */
  private boolean fromCache(Entry e) throws IOException {
    MessageDigest sha256 = Digests.sha256();
    long size = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = e.content().open()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        sha256.update(buffer, 0, n);
        size += n;
      }
    }
    BodyCache.Hit hit = cache.find(sha256.digest(), size);
    if (hit == null || size != e.size()) {
      return false;
    }
    Body body =
        new Body(hit.offset(), hit.length(), hit.size(), hit.crc(), hit.md5(), hit.sha256());
    cached.put(body, hit.channel());
    bodies.get(e.content()).complete(body);
    return true;
  }

  /** The file a body's bytes are in: the spill, or a pack of the cache. */
  private FileChannel source(Body body) {
    FileChannel pack = cached.get(body);
    return pack != null ? pack : spill;
  }

  @Override
  public void close() throws IOException {
    // The producer must stop writing before the spill goes away.
    closing = true;
    if (producer != null) {
      try {
        producer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (cache == null) {
      spill.close();
      return;
    }
    try {
      boolean whole = production.isDone() && !production.isCompletedExceptionally();
      if (whole && !fresh.isEmpty()) {
        try {
          cache.commit(pack, spill, end, List.copyOf(fresh));
        } catch (IOException e) {
          // the bodies served this build; the next one deflates them again
        }
      }
    } finally {
      spill.close();
      cache.discard(pack);
      cache.close();
    }
  }
}
