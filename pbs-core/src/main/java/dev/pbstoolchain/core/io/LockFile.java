package dev.pbstoolchain.core.io;

import dev.pbstoolchain.core.PbsConsole;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a file, held by one thread of one process: a JVM lock (for {@code mvn -T})
 * plus an OS file lock (for other builds). The holder writes who it is into the file, so a build
 * that has to wait can say whom it waits for, and says so every {@link #REPORT_EVERY}.
 *
 * <p>The OS lock covers one byte far past the holder text, not the text itself: Windows forbids
 * reading a locked range, and waiters read the text.
 */
public final class LockFile implements AutoCloseable {

  /** How often a waiting build says it is still waiting. */
  public static final Duration REPORT_EVERY = Duration.ofSeconds(10);

  private static final long LOCKED_BYTE = Long.MAX_VALUE - 1;
  private static final long POLL_MILLIS = 100;
  private static final Map<Path, Holder> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Holder holder;
  private final FileChannel channel;
  private final FileLock lock;

  /** The JVM-wide lock of one file, and what its current holder does (for waiters' messages). */
  private static final class Holder {
    final ReentrantLock lock = new ReentrantLock();
    volatile String doing = "";
  }

  private LockFile(Holder holder, FileChannel channel, FileLock lock) {
    this.holder = holder;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Waits for the lock on {@code file} (created if missing), telling {@code console} whom it waits
   * for, at once and then every {@link #REPORT_EVERY}. {@code purpose} says what the holder does,
   * e.g. "fetching cpython-...tar.gz for /work/app".
   */
  public static LockFile acquire(Path file, String purpose, PbsConsole console) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    Holder holder = JVM_LOCKS.computeIfAbsent(key, k -> new Holder());
    Waiting waiting = new Waiting(key, console);
    try {
      while (!holder.lock.tryLock(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        waiting.report("another thread of this build, " + holder.doing);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the lock " + key, e);
    }
    try {
      FileChannel channel = open(key);
      try {
        FileLock lock;
        while ((lock = channel.tryLock(LOCKED_BYTE, 1, false)) == null) {
          waiting.report(holderText(key));
          pause(key);
        }
        return held(holder, channel, lock, purpose);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      holder.lock.unlock();
      throw e;
    }
  }

  /** The lock if nobody holds it now, else empty; never waits. */
  public static Optional<LockFile> tryAcquire(Path file, String purpose) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    Holder holder = JVM_LOCKS.computeIfAbsent(key, k -> new Holder());
    if (!holder.lock.tryLock()) {
      return Optional.empty();
    }
    try {
      FileChannel channel = open(key);
      FileLock lock;
      try {
        lock = channel.tryLock(LOCKED_BYTE, 1, false);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      if (lock == null) {
        channel.close();
        holder.lock.unlock();
        return Optional.empty();
      }
      return Optional.of(held(holder, channel, lock, purpose));
    } catch (IOException | RuntimeException e) {
      holder.lock.unlock();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      holder.doing = "";
      holder.lock.unlock();
    }
  }

  private static LockFile held(Holder holder, FileChannel channel, FileLock lock, String purpose)
      throws IOException {
    String text =
        "process "
            + ProcessHandle.current().pid()
            + " on "
            + hostName()
            + " since "
            + Instant.now().truncatedTo(ChronoUnit.SECONDS)
            + ", "
            + purpose
            + "\n";
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
    holder.doing = purpose;
    return new LockFile(holder, channel, lock);
  }

  private static FileChannel open(Path key) throws IOException {
    Files.createDirectories(key.getParent());
    return FileChannel.open(
        key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /** Who holds the lock, as its holder wrote it (a holder that just started may not have yet). */
  private static String holderText(Path key) {
    try {
      String text = Files.readString(key, StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? "another build" : text;
    } catch (IOException e) {
      return "another build";
    }
  }

  /** The host's name without a DNS lookup (which can hang for seconds where DNS is broken). */
  private static String hostName() {
    for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
      String value = System.getenv(variable);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    try {
      return Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException e) {
      return "this host";
    }
  }

  private static void pause(Path key) throws IOException {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the lock " + key, e);
    }
  }

  /** Reports a wait when it starts, then every {@link #REPORT_EVERY}. */
  private static final class Waiting {
    private final Path key;
    private final PbsConsole console;
    private final long started = System.nanoTime();
    private long lastReport = Long.MIN_VALUE;

    Waiting(Path key, PbsConsole console) {
      this.key = key;
      this.console = console;
    }

    void report(String holder) {
      long now = System.nanoTime();
      if (lastReport != Long.MIN_VALUE && now - lastReport < REPORT_EVERY.toNanos()) {
        return;
      }
      lastReport = now;
      long waited = TimeUnit.NANOSECONDS.toSeconds(now - started);
      console.info(
          "Waiting for "
              + holder
              + (waited > 0 ? " (waited " + waited + " s)" : "")
              + ": lock "
              + key);
    }
  }
}
