package dev.pbstoolchain.licenses.archive;

import dev.pbstoolchain.licenses.LicenseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Reads a PBS {@code *-full.tar.zst} once, streaming, and keeps only {@code python/PYTHON.json} and
 * {@code python/licenses/**} (a few hundred KB of text out of hundreds of MB), hashing the archive
 * on the way.
 *
 * @param pythonJson the bytes of {@code python/PYTHON.json}
 * @param licenses licence texts by path relative to {@code python/} (e.g. {@code
 *     licenses/LICENSE.sqlite.txt})
 * @param sha256 the archive's SHA-256
 */
public record FullArchive(byte[] pythonJson, Map<String, byte[]> licenses, String sha256) {

  private static final int ZSTD_MAGIC = 0xFD2FB528;

  /** PYTHON.json is ~100 KB and a licence text a few KB: a larger size field is corruption. */
  private static final int MAX_KEPT_ENTRY = 32 << 20;

  /** Reads {@code archive}, hashing it unless {@code knownSha256} (already verified) is given. */
  public static FullArchive read(Path archive, String knownSha256) throws LicenseException {
    // Hash on the other core while this one decompresses: the file is read twice, but from the
    // page cache, and neither pass waits for the other.
    CompletableFuture<String> hash =
        knownSha256 != null
            ? CompletableFuture.completedFuture(knownSha256)
            : CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return sha256(archive);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
    byte[] json = null;
    Map<String, byte[]> licenses = new TreeMap<>();
    String current = "the zstd header";
    try (FileChannel file = FileChannel.open(archive)) {
      ByteBuffer magic = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      file.read(magic, 0);
      if (magic.position() < 4 || magic.getInt(0) != ZSTD_MAGIC) {
        throw new LicenseException(
            archive
                + " is not a zstd archive: expected a python-build-standalone *-full.tar.zst"
                + " (the install_only archives carry no licence data)");
      }
      try (ZstdChunks chunks = new ZstdChunks(file)) {
        TarReader tar = new TarReader(chunks);
        current = "the first entry";
        TarReader.Entry entry;
        while ((entry = tar.next()) != null) {
          current = "entry '" + entry.name() + "'";
          String name = entry.name().startsWith("./") ? entry.name().substring(2) : entry.name();
          if (entry.isFile() && name.equals("python/PYTHON.json")) {
            json = tar.content(MAX_KEPT_ENTRY);
          } else if (entry.isFile() && name.startsWith("python/licenses/")) {
            licenses.put(name.substring("python/".length()), tar.content(MAX_KEPT_ENTRY));
          }
        }
      }
    } catch (NoSuchFileException e) {
      throw new LicenseException(archive + ": no such file");
    } catch (IOException e) {
      throw new LicenseException(
          archive
              + " is truncated or corrupt (reading "
              + current
              + ": "
              + e.getMessage()
              + "). Fetch it again.",
          e);
    }
    if (json == null) {
      throw new LicenseException(
          archive + " has no python/PYTHON.json: it is not a python-build-standalone full archive");
    }
    try {
      return new FullArchive(json, licenses, hash.join());
    } catch (CompletionException e) {
      throw new LicenseException(archive + ": cannot hash: " + e.getCause().getMessage(), e);
    }
  }

  /** A file's SHA-256, in lower-case hex, streamed. */
  public static String sha256(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
      while (channel.read(buffer) >= 0) {
        digest.update(buffer.flip());
        buffer.clear();
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
