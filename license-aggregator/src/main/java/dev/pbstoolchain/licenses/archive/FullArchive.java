package dev.pbstoolchain.licenses.archive;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.pbstoolchain.licenses.LicenseException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
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

  public static FullArchive read(Path archive) throws LicenseException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] json = null;
    Map<String, byte[]> licenses = new TreeMap<>();
    String current = "the zstd header";
    try (InputStream file = new DigestInputStream(Files.newInputStream(archive), sha256);
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
              new BufferedInputStream(new ZstdInputStreamNoFinalizer(buffered), 1 << 17))) {
        current = "the first entry";
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          current = "entry '" + entry.getName() + "'";
          String name = entry.getName();
          if (name.startsWith("./")) {
            name = name.substring(2);
          }
          if (!entry.isFile()) {
            continue;
          }
          if (name.equals("python/PYTHON.json")) {
            json = tar.readAllBytes();
          } else if (name.startsWith("python/licenses/")) {
            licenses.put(name.substring("python/".length()), tar.readAllBytes());
          }
        }
        // Hash what is left after the tar end marker too.
        buffered.transferTo(java.io.OutputStream.nullOutputStream());
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
    return new FullArchive(json, licenses, HexFormat.of().formatHex(sha256.digest()));
  }
}
