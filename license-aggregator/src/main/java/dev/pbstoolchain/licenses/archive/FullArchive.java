package dev.pbstoolchain.licenses.archive;

import dev.pbstoolchain.licenses.LicenseException;
import dev.pbstoolchain.licenses.io.Causes;
import dev.pbstoolchain.licenses.io.PositionalRead;
import dev.pbstoolchain.licenses.io.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

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

  /** Skippable frames (0x184D2A50-5F) may come first, as pzstd writes them. */
  private static final int SKIPPABLE_MAGIC = 0x184D2A50;

  private static final int SKIPPABLE_MASK = 0xFFFFFFF0;

  /** PYTHON.json is ~100 KB and a licence text a few KB: a larger size field is corruption. */
  private static final int MAX_KEPT_ENTRY = 32 << 20;

  /** Reads {@code archive}, hashing it unless {@code knownSha256} (already verified) is given. */
  public static FullArchive read(Path archive, String knownSha256) throws LicenseException {
    // Hash on the other core while this one decompresses: the file is read twice, but from the
    // page cache, and neither pass waits for the other.
    FutureTask<String> hash = new FutureTask<>(() -> Sha256.of(archive));
    if (knownSha256 == null) {
      Thread hashing = new Thread(hash, "sha256 " + archive.getFileName());
      hashing.setDaemon(true);
      hashing.start();
    }
    try {
      Kept kept = walk(archive);
      return new FullArchive(
          kept.pythonJson(), kept.licenses(), knownSha256 != null ? knownSha256 : hash.get());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new LicenseException(
          "Cannot hash "
              + archive
              + " ("
              + (cause instanceof IOException io ? Causes.describe(io) : String.valueOf(cause))
              + "): make it readable to this user, or pass the SHA-256 a fetch verified.",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LicenseException(archive + ": interrupted while hashing", e);
    } finally {
      // After a failure, stop reading the file (an interrupted FileChannel closes).
      hash.cancel(true);
    }
  }

  private record Kept(byte[] pythonJson, Map<String, byte[]> licenses) {}

  private static Kept walk(Path archive) throws LicenseException {
    byte[] json = null;
    Map<String, byte[]> licenses = new TreeMap<>();
    Map<String, String> links = new TreeMap<>();
    String current = "the zstd header";
    try (FileChannel file = open(archive)) {
      ByteBuffer magic = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      if (PositionalRead.readFully(file, magic, 0) < 4
          || magic.getInt(0) != ZSTD_MAGIC
              && (magic.getInt(0) & SKIPPABLE_MASK) != SKIPPABLE_MAGIC) {
        throw new LicenseException(
            archive
                + " is not a zstd archive: expected a python-build-standalone *-full.tar.zst"
                + " (the install_only archives carry no licence data)");
      }
      try (ZstdChunks chunks = new ZstdChunks(file)) {
        TarReader tar = new TarReader(chunks);
        TarReader.Entry entry = null;
        while (true) {
          tar.finishEntry();
          current =
              entry == null ? "the first entry" : "the header after entry '" + entry.name() + "'";
          entry = tar.next();
          if (entry == null) {
            break;
          }
          current = "entry '" + entry.name() + "'";
          String name = resolve("", entry.name());
          if (name == null
              || !name.equals("python/PYTHON.json") && !name.startsWith("python/licenses/")) {
            continue;
          }
          refuseUnwritable(archive, entry.name());
          if (entry.sparse()) {
            throw new LicenseException(
                archive
                    + ": "
                    + name
                    + " is stored as a sparse file, which is not read here (python-build-standalone"
                    + " archives hold none). Use an unmodified python-build-standalone full archive.");
          }
          String key = name.substring("python/".length());
          if (entry.isFile() && key.equals("PYTHON.json")) {
            json = tar.content(MAX_KEPT_ENTRY);
          } else if (key.startsWith("licenses/")) {
            // As tar extracts, a later entry of the same name replaces an earlier one.
            licenses.remove(key);
            links.remove(key);
            switch (entry.type()) {
              case FILE -> licenses.put(key, tar.content(MAX_KEPT_ENTRY));
              case HARD_LINK -> links.put(key, inPython(resolve("", entry.linkName())));
              case SYMLINK ->
                  links.put(
                      key,
                      inPython(
                          resolve(name.substring(0, name.lastIndexOf('/') + 1), entry.linkName())));
              default -> {
                // Directories and the like carry no text.
              }
            }
          }
        }
      }
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
          archive
              + " has no python/PYTHON.json: it is not a python-build-standalone full archive."
              + " Pass the release's *-full.tar.zst (install_only archives carry no licence data).");
    }
    // Licences stored as links get their target's text; a dangling one stays missing, which
    // the aggregator reports like any missing licence file.
    for (var link : links.entrySet()) {
      String target = link.getValue();
      for (int hops = 0; target != null && links.containsKey(target) && hops < 40; hops++) {
        target = links.get(target);
      }
      if (target != null && licenses.containsKey(target)) {
        licenses.put(link.getKey(), licenses.get(target));
      }
    }
    return new Kept(json, licenses);
  }

  /** Opens the archive, or says why it cannot be read (no corruption is involved yet). */
  private static FileChannel open(Path archive) throws LicenseException {
    if (Files.isDirectory(archive)) {
      throw new LicenseException(
          archive + " is a directory: pass the python-build-standalone *-full.tar.zst file");
    }
    try {
      return FileChannel.open(archive);
    } catch (NoSuchFileException e) {
      throw new LicenseException(
          archive + ": no such file. Pass the path of the python-build-standalone *-full.tar.zst");
    } catch (IOException e) {
      throw new LicenseException(
          "Cannot open " + archive + " (" + Causes.describe(e) + "): make it readable to this user",
          e);
    }
  }

  /** {@code path} resolved against the directory {@code dir} ("" or ending in '/'), or null. */
  private static String resolve(String dir, String path) {
    if (path.startsWith("/")) {
      return null;
    }
    Deque<String> parts = new ArrayDeque<>();
    for (String part : (dir + path).split("/")) {
      if (part.equals("..")) {
        if (parts.pollLast() == null) {
          return null;
        }
      } else if (!part.isEmpty() && !part.equals(".")) {
        parts.addLast(part);
      }
    }
    return String.join("/", parts);
  }

  /** An archive path relative to {@code python/}, or null outside it. */
  private static String inPython(String path) {
    return path != null && path.startsWith("python/") ? path.substring("python/".length()) : null;
  }

  /**
   * Licence texts become files of the shipped tree, on every OS the release targets: a name with a
   * control character (NUL included), a character Windows forbids, or bytes that are not UTF-8 is
   * refused by name rather than failing (or meaning something else) when written.
   */
  private static void refuseUnwritable(Path archive, String name) throws LicenseException {
    int bad =
        name.codePoints()
            .filter(c -> c < 0x20 || c == 0x7f || c == 0xfffd || "\\:*?\"<>|".indexOf(c) >= 0)
            .findFirst()
            .orElse(-1);
    if (bad >= 0) {
      throw new LicenseException(
          archive
              + ": archive member '"
              + LicenseException.shown(name, 200)
              + "' has "
              + (bad == 0xfffd
                  ? "bytes that are not UTF-8"
                  : "the character " + LicenseException.shown(Character.toString(bad), 1))
              + " in its name, which no file name of the shipped tree may hold; python-build-standalone"
              + " writes none. Use the release's unmodified *-full.tar.zst (fetch it again).");
    }
  }
}
