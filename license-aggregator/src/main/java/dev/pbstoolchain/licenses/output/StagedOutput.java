package dev.pbstoolchain.licenses.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Publishes a step's output as a whole: a set of top-level entries of an output directory (files,
 * or directories replaced whole) and optionally one file elsewhere (the SBOM).
 *
 * <p>Everything is first written to a staging directory beside the output directory, named {@code
 * .<dir>.pbs-licenses-<random>} (never inside it: the output directory may be a shipped tree), each
 * file and directory fsynced; then a {@code COMMITTED} mark is written and the entries are renamed
 * into place. A run that fails before the mark leaves the previous output untouched; a run killed
 * after it is completed by the next one (the renames are idempotent), which also removes what dead
 * runs left. Runs into one directory take turns on a lock (a JVM lock for {@code mvn -T} and a file
 * lock on {@code .<dir>.pbs-licenses.lock} beside it for other processes), held only while staging
 * and renaming, so the staging directories a run finds are never another run's live ones.
 */
public final class StagedOutput {

  private static final String STAGING = ".pbs-licenses-";
  private static final String LOCK = ".pbs-licenses.lock";
  private static final String NEW = "new";
  private static final String OLD = "old";
  private static final String COMMITTED = "COMMITTED";

  /** Names the external file's absolute target, written before its temp file is created. */
  private static final String EXTERNAL = "external";

  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path dir;
  private final SortedMap<String, byte[]> files = new TreeMap<>();
  private final List<String> directories = new ArrayList<>();
  private Path external;
  private byte[] externalBytes;

  /** An output for {@code dir} (created when missing). */
  public StagedOutput(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /**
   * A file of the output, by its path relative to the output directory (e.g. {@code LICENSE.md} or
   * {@code licenses/LICENSE.zlib.txt}); its top-level entry is replaced whole.
   */
  public StagedOutput file(String relative, byte[] bytes) {
    files.put(relative, bytes.clone());
    return this;
  }

  /** A top-level directory of the output, replaced whole, even when no file is put into it. */
  public StagedOutput directory(String name) {
    directories.add(name);
    return this;
  }

  /** One file outside the output directory (the SBOM), published with the rest. */
  public StagedOutput external(Path target, byte[] bytes) {
    this.external = target.toAbsolutePath().normalize();
    this.externalBytes = bytes.clone();
    return this;
  }

  /** Cleans up after dead runs, stages everything, then swaps it in. */
  public void publish() throws IOException {
    Path parent = dir.getParent();
    Files.createDirectories(parent);
    try (Lock lock = Lock.take(parent.resolve("." + dir.getFileName() + LOCK))) {
      recover(dir);
      Path staging = Files.createTempDirectory(parent, prefix(dir));
      boolean done = false;
      try {
        stage(staging);
        commit(dir, staging);
        done = true;
      } finally {
        // Marked but not fully renamed (an I/O fault part-way): the next run completes it.
        if (done || !Files.exists(staging.resolve(COMMITTED))) {
          remove(staging);
        }
      }
    }
  }

  /**
   * Completes or removes what dead runs left beside {@code dir}, under the lock: the first thing a
   * run does, so that one failing later still leaves nothing behind.
   */
  public static void cleanUp(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (!Files.isDirectory(parent)) {
      return;
    }
    try (Lock lock = Lock.take(parent.resolve("." + absolute.getFileName() + LOCK))) {
      recover(absolute);
    }
  }

  /**
   * Completes or removes what runs that died left beside {@code dir}: called under the lock, so no
   * staging directory found is live.
   */
  private static void recover(Path dir) throws IOException {
    List<Path> found = new ArrayList<>();
    // A filter, not a glob: the directory's own name may hold glob characters.
    String prefix = prefix(dir);
    try (DirectoryStream<Path> siblings =
        Files.newDirectoryStream(
            dir.getParent(), p -> p.getFileName().toString().startsWith(prefix))) {
      siblings.forEach(found::add);
    }
    for (Path staging : found) {
      if (Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)
          && Files.exists(staging.resolve(COMMITTED))) {
        commit(dir, staging);
      }
      remove(staging);
    }
  }

  /** Deletes a staging directory and the external temp file it names. */
  private static void remove(Path staging) throws IOException {
    if (Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
      Optional<Path> externalTemp = externalTemp(staging);
      if (externalTemp.isPresent()) {
        Files.deleteIfExists(externalTemp.get());
      }
    }
    deleteTree(staging);
  }

  private void stage(Path staging) throws IOException {
    Path fresh = Files.createDirectory(staging.resolve(NEW));
    for (String name : directories) {
      createDirectories(fresh, fresh.resolve(name));
    }
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path target = fresh.resolve(file.getKey()).normalize();
      if (!target.startsWith(fresh) || target.equals(fresh)) {
        throw new IllegalArgumentException("not a path inside the output: " + file.getKey());
      }
      createDirectories(fresh, target.getParent());
      write(target, file.getValue());
    }
    fsyncTree(fresh);
    if (external != null) {
      Files.createDirectories(external.getParent());
      if (Files.isDirectory(external)) {
        throw new IOException(external + " is a directory");
      }
      write(staging.resolve(EXTERNAL), external.toString().getBytes(StandardCharsets.UTF_8));
      write(externalTemp(staging, external), externalBytes);
      fsync(external.getParent());
    }
    fsync(staging);
    write(staging.resolve(COMMITTED), new byte[0]);
    fsync(staging);
  }

  /** Renames every staged entry into place; safe to repeat after a kill part-way through. */
  private static void commit(Path dir, Path staging) throws IOException {
    Files.createDirectories(dir);
    Path fresh = staging.resolve(NEW);
    Path old = staging.resolve(OLD);
    List<Path> entries = new ArrayList<>();
    if (Files.isDirectory(fresh)) {
      try (Stream<Path> list = Files.list(fresh)) {
        // LICENSE.md last: a reader who sees the new one sees the rest of the new output.
        list.sorted(
                Comparator.comparing((Path p) -> p.getFileName().toString().endsWith(".md"))
                    .thenComparing(Path::getFileName))
            .forEach(entries::add);
      }
    }
    for (Path entry : entries) {
      Path target = dir.resolve(entry.getFileName().toString());
      boolean replaceInPlace =
          Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
              && (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                  || !Files.exists(target, LinkOption.NOFOLLOW_LINKS));
      if (!replaceInPlace && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        // A directory cannot be renamed over another: the old one goes into the staging area.
        Files.createDirectories(old);
        Path aside = old.resolve(entry.getFileName().toString());
        deleteTree(aside);
        Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(
          entry, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    fsync(dir);
    Optional<Path> externalTarget = externalTarget(staging);
    if (externalTarget.isPresent()) {
      Path temp = externalTemp(staging, externalTarget.get());
      if (Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(
            temp,
            externalTarget.get(),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        fsync(externalTarget.get().getParent());
      }
    }
  }

  private static String prefix(Path dir) {
    return "." + dir.getFileName() + STAGING;
  }

  private static Optional<Path> externalTarget(Path staging) throws IOException {
    try {
      return Optional.of(
          Path.of(
              new String(Files.readAllBytes(staging.resolve(EXTERNAL)), StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> externalTemp(Path staging) throws IOException {
    Optional<Path> target = externalTarget(staging);
    return target.isEmpty() ? target : Optional.of(externalTemp(staging, target.get()));
  }

  /** Beside its target, so the rename stays on one file system; named after the staging dir. */
  private static Path externalTemp(Path staging, Path target) {
    return target.resolveSibling("." + target.getFileName() + "." + staging.getFileName() + ".tmp");
  }

  private static void createDirectories(Path root, Path dir) throws IOException {
    if (dir.equals(root) || Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    createDirectories(root, dir.getParent());
    Files.createDirectory(dir);
    readable(dir, "rwxr-xr-x");
  }

  /** Writes a new file and forces it to disk; modes fixed so the umask never leaks in. */
  private static void write(Path file, byte[] bytes) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(file + " already exists (two output files of one name)", e);
    }
    readable(file, "rw-r--r--");
  }

  private static void readable(Path path, String mode) throws IOException {
    if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }
  }

  private static void fsyncTree(Path root) throws IOException {
    List<Path> dirs;
    try (Stream<Path> walk = Files.walk(root)) {
      dirs = walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    for (Path d : dirs) {
      fsync(d);
    }
  }

  /** Forces a directory's entries to disk, so a rename that follows survives a power loss. */
  static void fsync(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
  }

  /** A JVM lock (threads of one build) and a file lock (other processes) on one lock file. */
  private record Lock(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock)
      implements AutoCloseable {

    static Lock take(Path lockFile) throws IOException {
      ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
      jvmLock.lock();
      FileChannel channel = null;
      try {
        channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        return new Lock(jvmLock, channel, channel.lock());
      } catch (IOException | RuntimeException e) {
        if (channel != null) {
          channel.close();
        }
        jvmLock.unlock();
        throw e;
      }
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
