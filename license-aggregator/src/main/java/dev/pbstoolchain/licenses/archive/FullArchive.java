package dev.pbstoolchain.licenses.archive;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.pbstoolchain.licenses.LicenseException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

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
    try (InputStream file = Files.newInputStream(archive);
        BufferedInputStream buffered = new BufferedInputStream(file, 1 << 16)) {
      buffered.mark(4);
      byte[] magic = buffered.readNBytes(4);
      buffered.reset();
      if (magic.length < 4
          || (magic[0] & 0xff
                  | (magic[1] & 0xff) << 8
                  | (magic[2] & 0xff) << 16
                  | (magic[3] & 0xff) << 24)
              != ZSTD_MAGIC) {
        throw new LicenseException(
            archive
                + " is not a zstd archive: expected a python-build-standalone *-full.tar.zst"
                + " (the install_only archives carry no licence data)");
      }
      try (TarArchiveInputStream tar =
          new TarArchiveInputStream(
              new BufferedInputStream(new ZstdInputStreamNoFinalizer(buffered), 1 << 17),
              "UTF-8")) {
        current = "the first entry";
        // Entries we pass over are drained in 1 MiB reads: straight from zstd into this buffer,
        // instead of commons-compress's small skip buffer (a third of the time on 200 MB).
        byte[] drain = new byte[1 << 20];
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          current = "entry '" + entry.getName() + "'";
          String name = entry.getName();
          if (name.startsWith("./")) {
            name = name.substring(2);
          }
          if (entry.isFile() && name.equals("python/PYTHON.json")) {
            json = tar.readAllBytes();
          } else if (entry.isFile() && name.startsWith("python/licenses/")) {
            licenses.put(name.substring("python/".length()), tar.readAllBytes());
          } else {
            while (tar.read(drain) > 0) {
              // Passing over the entry.
            }
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
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
