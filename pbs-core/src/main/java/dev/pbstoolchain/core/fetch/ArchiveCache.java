package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.io.AtomicFiles;
import dev.pbstoolchain.core.io.LockFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verified archives on disk, by default under {@code <maven local repo>/.cache/pbs/}, named {@code
 * <sha256 prefix>-<asset>} so that CI caches of {@code ~/.m2} keep them. Entries appear only by
 * atomic rename of a fully verified, fsynced temp file; builds take turns per asset on a {@link
 * LockFile} in {@code .locks/}.
 *
 * <p>Temp files are named so the next build of the same asset finds them: {@code .<sha256
 * prefix>-<asset>.part} is a download in progress that a later build resumes (its name is its
 * validator: the SHA-256 it must end with), {@code .<asset>.<n>.part} an unverified one. A build
 * removes its asset's stale ones under the asset's lock, and other assets' once they are a day old
 * and nobody holds their lock.
 */
public final class ArchiveCache {

  private static final int KEY_LENGTH = 16;
  private static final String PART = ".part";
  private static final Duration ABANDONED_AFTER = Duration.ofDays(1);

  /** {@code .<16 hex>-<asset>.part}: resumable. */
  private static final Pattern RESUMABLE = Pattern.compile("\\.[0-9a-f]{16}-(.+)\\.part");

  /** {@code .<asset>.<digits>.part}: an unverified download's temp file. */
  private static final Pattern UNVERIFIED = Pattern.compile("\\.(.+)\\.\\d+\\.part");

  private final Path dir;

  public ArchiveCache(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  public Path dir() {
    return dir;
  }

  /** Where the verified archive with this hash lives (whether or not it is there yet). */
  public Path entry(String sha256, String fileName) {
    return dir.resolve(key(sha256) + "-" + fileName);
  }

  /** The verified archive, if cached. */
  public Optional<Path> find(String sha256, String fileName) {
    Path entry = entry(sha256, fileName);
    return Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
        ? Optional.of(entry)
        : Optional.empty();
  }

  /** The copy of a release's SHA256SUMS kept for offline builds, whatever mirror served it. */
  Path sumsCopy(String date) {
    return dir.resolve("sums").resolve(date + "-SHA256SUMS");
  }

  /** The copy of an asset's own {@code .sha256} file (releases before SHA256SUMS). */
  Path sha256Copy(String date, String fileName) {
    return dir.resolve("sums").resolve(date + "-" + fileName + ".sha256");
  }

  /** The resumable download of the archive that must hash to {@code sha256}. */
  Path part(String sha256, String fileName) {
    return dir.resolve("." + key(sha256) + "-" + fileName + PART);
  }

  /** A new temp file for an archive whose hash is not known (verification off). */
  Path newUnverifiedTemp(String fileName) throws IOException {
    Files.createDirectories(dir);
    return Files.createTempFile(dir, "." + fileName + ".", PART);
  }

  /** Moves a verified, complete part into place: fsynced, renamed, directory fsynced. */
  Path commit(Path part, String sha256, String fileName) throws IOException {
    Path entry = entry(sha256, fileName);
    AtomicFiles.commit(part, entry);
    return entry;
  }

  /** Writes a checksum file's copy atomically and durably. */
  void keepCopy(Path copy, String text) throws IOException {
    AtomicFiles.writeString(copy, text);
  }

  /** Takes turns with other builds on one asset, saying whom it waits for. */
  LockFile lock(String fileName, String purpose, PbsConsole console) throws IOException {
    return LockFile.acquire(lockFile(fileName), purpose, console);
  }

  /** Takes turns on the checksum copies of one release date. */
  LockFile lockSums(String date, PbsConsole console) throws IOException {
    return LockFile.acquire(lockFile(date + "-sums"), "updating the checksums of " + date, console);
  }

  private Path lockFile(String name) {
    return dir.resolve(".locks").resolve(name + ".lock");
  }

  /**
   * Under the asset's lock: removes what dead builds left of this asset (every part but {@code
   * keep}), and what they left of other assets once abandoned for a day and unlocked.
   */
  void sweep(String fileName, Path keep, PbsConsole console) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> others = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*" + PART)) {
      for (Path file : files) {
        Optional<String> asset = assetOf(file.getFileName().toString());
        if (asset.isEmpty() || file.equals(keep)) {
          continue;
        }
        if (asset.get().equals(fileName)) {
          delete(file, console);
        } else {
          others.add(file);
        }
      }
    }
    Instant abandoned = Instant.now().minus(ABANDONED_AFTER);
    for (Path file : others) {
      if (isOlderThan(file, abandoned)) {
        String asset = assetOf(file.getFileName().toString()).orElseThrow();
        Optional<LockFile> free = LockFile.tryAcquire(lockFile(asset), "removing " + file);
        if (free.isPresent()) {
          try (LockFile held = free.get()) {
            delete(file, console);
          }
        }
      }
    }
  }

  /** Under the date's sums lock: removes copies a dead build was writing. */
  void sweepSums(String date, PbsConsole console) throws IOException {
    Path sums = dir.resolve("sums");
    if (!Files.isDirectory(sums)) {
      return;
    }
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(sums, "." + date + "-*" + AtomicFiles.TEMP_SUFFIX)) {
      for (Path file : files) {
        delete(file, console);
      }
    }
  }

  private static Optional<String> assetOf(String name) {
    Matcher resumable = RESUMABLE.matcher(name);
    if (resumable.matches()) {
      return Optional.of(resumable.group(1));
    }
    Matcher unverified = UNVERIFIED.matcher(name);
    return unverified.matches() ? Optional.of(unverified.group(1)) : Optional.empty();
  }

  private static boolean isOlderThan(Path file, Instant when) {
    try {
      return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(when);
    } catch (IOException e) {
      return false;
    }
  }

  private static void delete(Path file, PbsConsole console) throws IOException {
    if (Files.deleteIfExists(file)) {
      console.debug("Removed " + file + ", left by a build that did not finish");
    }
  }

  private static String key(String sha256) {
    return sha256.substring(0, KEY_LENGTH);
  }
}
