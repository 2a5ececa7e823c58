package dev.pbstoolchain.core.fetch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Verified archives on disk, by default under {@code <maven local repo>/.cache/pbs/}, named {@code
 * <sha256 prefix>-<asset>} so that CI caches of {@code ~/.m2} keep them. Entries appear only by
 * atomic rename of a fully verified temp file; concurrent builds serialise on a file lock per
 * asset.
 */
public final class ArchiveCache {

  private static final int KEY_LENGTH = 16;
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path dir;

  public ArchiveCache(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  public Path dir() {
    return dir;
  }

  /** Where the verified archive with this hash lives (whether or not it is there yet). */
  public Path entry(String sha256, String fileName) {
    return dir.resolve(sha256.substring(0, KEY_LENGTH) + "-" + fileName);
  }

  /** The verified archive, if cached. */
  public Optional<Path> find(String sha256, String fileName) {
    Path entry = entry(sha256, fileName);
    return Files.isRegularFile(entry) ? Optional.of(entry) : Optional.empty();
  }

  /** The copy of a release's SHA256SUMS kept for offline builds. */
  Path sumsCopy(String date) {
    return dir.resolve("sums").resolve(date + "-SHA256SUMS");
  }

  /** A new temp file beside the entries, renamed into place by {@link #commit}. */
  Path newTempFile(String fileName) throws IOException {
    Files.createDirectories(dir);
    return Files.createTempFile(dir, "." + fileName + ".", ".part");
  }

  /** Moves a verified temp file into place atomically. */
  Path commit(Path temp, String sha256, String fileName) throws IOException {
    Path entry = entry(sha256, fileName);
    Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return entry;
  }

  /** Writes small text (a checksum list) atomically. */
  void writeAtomically(Path target, String text) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
    try {
      Files.writeString(temp, text);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Takes the lock for one asset: a JVM lock (for {@code mvn -T}) and a file lock (for other
   * processes). Close the returned handle to release both.
   */
  public Lock lock(String fileName) throws IOException {
    Path lockFile = dir.resolve(".locks").resolve(fileName + ".lock");
    Files.createDirectories(lockFile.getParent());
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
    jvmLock.lock();
    try {
      FileChannel channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return new Lock(jvmLock, channel, channel.lock());
    } catch (IOException | RuntimeException e) {
      jvmLock.unlock();
      throw e;
    }
  }

  /** A held asset lock. */
  public static final class Lock implements AutoCloseable {
    private final ReentrantLock jvmLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private Lock(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock) {
      this.jvmLock = jvmLock;
      this.channel = channel;
      this.fileLock = fileLock;
    }

    @Override
    public void close() throws IOException {
      try {
        fileLock.release();
        channel.close();
      } finally {
        jvmLock.unlock();
      }
    }
  }
}
