package dev.pbstoolchain.core.fetch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Creates the regular files of an unpacked archive. Creating a file costs the kernel more than
 * inflating its bytes costs us (ext4 inode allocation dominates a profile of unpacking PBS), so
 * small files are written on a background thread while the caller goes on reading the archive;
 * large ones are streamed by the caller. Each file is created with its mode and gets its mtime
 * (Python checks {@code .pyc} files against their source's mtime).
 */
final class UnpackedFileWriter implements AutoCloseable {

  /** Files up to this size are read into memory and queued; larger ones are streamed. */
  static final int LARGEST_QUEUED_FILE = 1 << 20;

  /** Bytes read from the archive but not yet written: bounds the heap under {@code -Xmx128m}. */
  private static final int IN_FLIGHT_BYTES = 16 << 20;

  private static final Set<PosixFilePermission> ALL = PosixFilePermissions.fromString("rwxrwxrwx");

  private final Semaphore inFlight = new Semaphore(IN_FLIGHT_BYTES);
  private final List<Future<?>> pending = new ArrayList<>();
  private final ExecutorService writer;
  private final boolean posix;
  private final int umask;
  private volatile boolean failed;

  /** {@code probeDir}: an empty directory on the target file system, to learn the umask. */
  UnpackedFileWriter(Path probeDir) throws IOException {
    posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    umask = posix ? umask(probeDir) : 0;
    // One writer: measured on ext4, two or more threads creating files in the same directories
    // spend more in the kernel's locks than they gain (2.5 s with one, 3.5 s with two).
    writer = Executors.newSingleThreadExecutor(UnpackedFileWriter::daemon);
  }

  /** Writes {@code content} to the new file {@code target} on a background thread. */
  void queue(Path target, byte[] content, int mode, FileTime time) throws IOException {
    rethrowFailure();
    acquire(content.length);
    pending.add(writer.submit(() -> writeQueued(target, content, mode, time)));
  }

  /** Creates {@code target} and lets {@code copier} stream its content, on this thread. */
  void stream(Path target, int mode, FileTime time, Copier copier) throws IOException {
    try (SeekableByteChannel out = create(target, mode)) {
      copier.copy(out);
    }
    finish(target, mode, time);
  }

  /** Writing one file failed (the cause says why); which file, for the message. */
  static final class EntryWriteException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path target;

    EntryWriteException(Path target, IOException cause) {
      super(cause);
      this.target = target;
    }

    Path target() {
      return target;
    }

    IOException cause() {
      return (IOException) getCause();
    }
  }

  /** Waits until every queued file is written; rethrows the first failure. */
  void drain() throws IOException {
    for (Future<?> future : pending) {
      await(future);
    }
    pending.clear();
  }

  /** Stops the writer once queued work is done (or abandoned, after a failure elsewhere). */
  @Override
  public void close() {
    writer.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (writer.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Copies one entry's bytes to the file's channel. */
  interface Copier {
    void copy(SeekableByteChannel out) throws IOException;
  }

  private Void writeQueued(Path target, byte[] content, int mode, FileTime time)
      throws IOException {
    try {
      try (SeekableByteChannel out = create(target, mode)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      }
      finish(target, mode, time);
      return null;
    } catch (IOException e) {
      failed = true;
      throw new EntryWriteException(target, e);
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    } finally {
      inFlight.release(content.length);
    }
  }

  private SeekableByteChannel create(Path target, int mode) throws IOException {
    Set<StandardOpenOption> options =
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    if (!posix) {
      return Files.newByteChannel(target, options);
    }
    FileAttribute<Set<PosixFilePermission>> permissions =
        PosixFilePermissions.asFileAttribute(SafeUnpacker.permissions(mode));
    return Files.newByteChannel(target, options, permissions);
  }

  /** Restores bits the umask took away at creation (a chmod only then), and the mtime. */
  private void finish(Path target, int mode, FileTime time) throws IOException {
    if (posix && (mode & umask & 0777) != 0) {
      Files.setPosixFilePermissions(target, SafeUnpacker.permissions(mode));
    }
    // Both times given: with one left null the JDK stats the file first.
    Files.getFileAttributeView(target, BasicFileAttributeView.class).setTimes(time, time, null);
  }

  private void rethrowFailure() throws IOException {
    if (failed) {
      drain();
    }
  }

  private void acquire(int bytes) throws IOException {
    try {
      inFlight.acquire(bytes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while unpacking", e);
    }
  }

  private static void await(Future<?> future) throws IOException {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while unpacking", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException(e.getCause());
    }
  }

  /** The process umask, read back from a probe file created with every permission bit. */
  private static int umask(Path dir) throws IOException {
    Path probe = Files.createTempFile(dir, ".umask", "", PosixFilePermissions.asFileAttribute(ALL));
    try {
      int granted = 0;
      for (PosixFilePermission p : Files.getPosixFilePermissions(probe)) {
        granted |= 1 << (8 - p.ordinal());
      }
      return 0777 & ~granted;
    } finally {
      Files.delete(probe);
    }
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "pbs-unpack");
    thread.setDaemon(true);
    return thread;
  }
}
