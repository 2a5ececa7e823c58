package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.PropertyNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a tar stream into a directory without letting it write anywhere else or grow without
 * bound: refuses absolute names, {@code ..} segments, names no file system takes, symbolic links
 * whose target leads outside once earlier links are followed, writes through a link, hard links to
 * anything but a file unpacked before, sparse and device entries, and archives past the {@link
 * UnpackLimits} (checked on each entry's declared size, before its bytes are written). Keeps
 * symlinks, hard links, permission bits and mtimes; creates parents (PBS archives have no directory
 * entries).
 *
 * <p>Failures are {@link UnpackException}s saying whether the archive or this machine is at fault;
 * a network failure underneath ({@link TransferFailedException}) passes through unchanged.
 */
final class SafeUnpacker {

  private static final int BUFFER = 1 << 16;

  /** Linux's NAME_MAX and PATH_MAX, in bytes: no real archive comes near them. */
  private static final int MAX_NAME_BYTES = 255;

  private static final int MAX_PATH_BYTES = 4096;

  private final UnpackLimits limits;
  private final Set<Path> createdDirectories = new HashSet<>();
  private final byte[] buffer = new byte[BUFFER];

  SafeUnpacker(UnpackLimits limits) {
    this.limits = limits;
  }

  /**
   * Unpacks {@code tar} into {@code dest} (an empty directory). {@code archive} names the archive
   * in messages. Returns every regular file unpacked (its path relative to {@code dest}, with
   * {@code /}) and its size.
   */
  Map<String, Long> unpack(InputStream tar, Path dest, String archive)
      throws UnpackException, TransferFailedException {
    try (UnpackedFileWriter files = new UnpackedFileWriter(dest)) {
      return new Run(dest, archive, files).unpack(tar);
    } catch (TransferFailedException e) {
      throw e;
    } catch (IOException e) {
      throw local(archive, dest, "", e);
    }
  }

  /** The state of one unpack. */
  private final class Run {
    private final Path root;
    private final String archive;
    private final UnpackedFileWriter files;
    private final Map<String, Long> regular = new LinkedHashMap<>();
    private final Set<Path> seen = new HashSet<>();
    private final List<Runnable> directoryFixups = new ArrayList<>();
    private final LinkResolver links;
    private long declared;
    private int entries;

    Run(Path dest, String archive, UnpackedFileWriter files) {
      this.root = dest.toAbsolutePath().normalize();
      this.archive = archive;
      this.files = files;
      links = new LinkResolver(root);
    }

    Map<String, Long> unpack(InputStream tar) throws UnpackException, TransferFailedException {
      MeteredInputStream metered =
          new MeteredInputStream(
              tar,
              limits.maxBytes() + (long) limits.maxEntries() * 4096,
              "it expands past "
                  + UnpackLimits.bytes(limits.maxBytes())
                  + " of headers and data ("
                  + PropertyNames.MAX_UNPACKED_SIZE
                  + ")");
      TarArchiveInputStream in = new TarArchiveInputStream(metered, "UTF-8");
      TarArchiveEntry entry = next(in, metered, null);
      while (entry != null) {
        String name = entry.getName();
        try {
          unpackEntry(in, entry, name);
        } catch (UnpackException | TransferFailedException e) {
          throw e;
        } catch (IOException e) {
          throw writeFailure(name, e);
        }
        entry = next(in, metered, name);
      }
      try {
        files.drain();
      } catch (IOException e) {
        throw writeFailure("", e);
      }
      // Links created later can change where earlier ones lead: check them all in place.
      for (Map.Entry<Path, String> link : links.all().entrySet()) {
        Optional<String> escape = links.escape(link.getKey(), link.getValue());
        if (escape.isPresent()) {
          throw unsafe(
              root.relativize(link.getKey()).toString(),
              "is a symbolic link to '" + link.getValue() + "', which " + escape.get());
        }
      }
      // Directory times last: writing the files into them changed their mtimes.
      for (int i = directoryFixups.size() - 1; i >= 0; i--) {
        directoryFixups.get(i).run();
      }
      return regular;
    }

    /** The next entry; its headers (pax records, long names) may take a bounded amount. */
    private TarArchiveEntry next(TarArchiveInputStream in, MeteredInputStream metered, String after)
        throws UnpackException, TransferFailedException {
      String where = after == null ? "the first entry" : "the entry after '" + after + "'";
      metered.budget(
          UnpackLimits.MAX_HEADER_BYTES,
          where
              + " has more than "
              + (UnpackLimits.MAX_HEADER_BYTES >> 20)
              + " MB of headers (pax records or a long name), which no Python distribution has");
      try {
        TarArchiveEntry entry = in.getNextEntry();
        if (entry != null && ++entries > limits.maxEntries()) {
          throw limit(
              "it has more than "
                  + limits.maxEntries()
                  + " entries ("
                  + PropertyNames.MAX_UNPACKED_ENTRIES
                  + ")");
        }
        return entry;
      } catch (IOException | RuntimeException e) {
        throw readFailure(where, e);
      } finally {
        metered.unlimited();
      }
    }

    private void unpackEntry(TarArchiveInputStream in, TarArchiveEntry entry, String name)
        throws IOException, UnpackException, TransferFailedException {
      checkName(name);
      Path target = checkedPath(root, name, archive);
      Optional<Path> through = links.linkAbove(target);
      if (through.isPresent()) {
        throw unsafe(
            name, "goes through the symbolic link '" + root.relativize(through.get()) + "'");
      }
      if (entry.isSparse()) {
        throw unsafe(name, "is a sparse file, which no Python distribution has");
      }
      boolean replaces = !seen.add(target);
      if (replaces || entry.isLink()) {
        // A later entry replaces an earlier one, and a hard link needs its source complete.
        files.drain();
      }
      String relative = root.relativize(target).toString().replace('\\', '/');
      if (entry.isDirectory()) {
        if (links.isLink(target)) {
          throw unsafe(name, "is a directory where the archive made a symbolic link");
        }
        createDirectories(target, name);
        int mode = entry.getMode();
        FileTime time = FileTime.from(entry.getModTime().toInstant());
        directoryFixups.add(() -> applyModeAndTime(target, mode | 0700, time));
      } else if (entry.isSymbolicLink()) {
        String linkTarget = entry.getLinkName();
        checkLinkTarget(target, linkTarget, name);
        ensureParent(target, name);
        if (replaces) {
          prepareParent(target);
        }
        Files.createSymbolicLink(target, Path.of(linkTarget));
        links.add(target, linkTarget);
        regular.remove(relative);
        setTime(target, FileTime.from(entry.getModTime().toInstant()), true);
      } else if (entry.isLink()) {
        Path source = checkedPath(root, entry.getLinkName(), archive);
        String sourceName = root.relativize(source).toString().replace('\\', '/');
        Long size = regular.get(sourceName);
        if (source.equals(target)
            || links.linkAbove(source).isPresent()
            || size == null
            || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
          throw malformed(
              name,
              "is a hard link to '"
                  + entry.getLinkName()
                  + "', which is not a file unpacked before it");
        }
        prepareParent(target);
        try {
          Files.createLink(target, source);
        } catch (UnsupportedOperationException | IOException e) {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
        links.remove(target);
        regular.put(relative, size);
      } else if (entry.isFile()) {
        long size = entry.getSize();
        if (size < 0 || size > Integer.MAX_VALUE) {
          throw unsafe(name, "has a size of " + size + " bytes, which no Python file has");
        }
        declared += size;
        if (declared > limits.maxBytes()) {
          throw limit(
              "entry '"
                  + name
                  + "' ("
                  + UnpackLimits.bytes(size)
                  + ") takes its files past "
                  + UnpackLimits.bytes(limits.maxBytes())
                  + " ("
                  + PropertyNames.MAX_UNPACKED_SIZE
                  + ")");
        }
        ensureParent(target, name);
        if (replaces) {
          prepareParent(target);
        }
        links.remove(target);
        int mode = entry.getMode();
        FileTime time = FileTime.from(entry.getModTime().toInstant());
        if (size <= UnpackedFileWriter.LARGEST_QUEUED_FILE) {
          files.queue(target, content(in, (int) size, name), mode, time);
        } else {
          try {
            files.stream(target, mode, time, out -> copy(in, out));
          } catch (EntryReadException e) {
            throw readFailure("entry '" + name + "'", e.readFailure());
          }
        }
        regular.put(relative, size);
      } else {
        throw unsafe(
            name, "is of an unsupported kind (device, fifo...), which no Python distribution has");
      }
    }

    /** Names no file system takes, or that would break the tree's marker, are refused up front. */
    private void checkName(String name) throws UnpackException {
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c < 0x20 || c == 0x7f) {
          throw unsafe(
              Sha256Sums.shown(name, 120),
              String.format(Locale.ROOT, "has a control character (\\x%02x) in its name", (int) c));
        }
      }
      if (name.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
        throw unsafe(Sha256Sums.shown(name, 120), "is longer than " + MAX_PATH_BYTES + " bytes");
      }
      for (String part : name.split("/")) {
        if (part.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
          throw unsafe(
              Sha256Sums.shown(name, 120),
              "has a name part longer than " + MAX_NAME_BYTES + " bytes");
        }
      }
    }

    private void checkLinkTarget(Path link, String linkTarget, String name) throws UnpackException {
      if (linkTarget.isEmpty() || linkTarget.startsWith("/") || hasDriveLetter(linkTarget)) {
        throw unsafe(name, "is a symbolic link to the absolute path '" + linkTarget + "'");
      }
      checkName(linkTarget);
      Path resolved = resolve(link.getParent(), linkTarget, name, archive);
      if (!resolved.startsWith(root)) {
        throw unsafe(name, "is a symbolic link to '" + linkTarget + "', outside the destination");
      }
      Optional<String> escape = links.escape(link, linkTarget);
      if (escape.isPresent()) {
        throw unsafe(name, "is a symbolic link to '" + linkTarget + "', which " + escape.get());
      }
    }

    /** Streams a large entry; read failures are told apart from write failures. */
    private void copy(InputStream in, SeekableByteChannel out) throws IOException {
      ByteBuffer wrapped = ByteBuffer.wrap(buffer);
      while (true) {
        int n;
        try {
          n = in.read(buffer);
        } catch (IOException e) {
          throw new EntryReadException(e);
        }
        if (n < 0) {
          return;
        }
        wrapped.clear().limit(n);
        while (wrapped.hasRemaining()) {
          out.write(wrapped);
        }
      }
    }

    private byte[] content(InputStream in, int size, String name)
        throws UnpackException, TransferFailedException {
      byte[] content;
      try {
        content = in.readNBytes(size);
      } catch (IOException e) {
        throw readFailure("entry '" + name + "'", e);
      }
      if (content.length != size) {
        throw readFailure(
            "entry '" + name + "'",
            new java.io.EOFException("it ends after " + content.length + " of " + size + " bytes"));
      }
      return content;
    }

    private void ensureParent(Path target, String name) throws IOException, UnpackException {
      Path parent = target.getParent();
      // PBS archives have no directory entries: remember what exists to save a syscall per file.
      if (createdDirectories.add(parent)) {
        createDirectories(parent, name);
      }
    }

    private void createDirectories(Path dir, String name) throws IOException, UnpackException {
      for (Path p = dir; p != null && !p.equals(root); p = p.getParent()) {
        String relative = root.relativize(p).toString().replace('\\', '/');
        if (regular.containsKey(relative)) {
          throw malformed(name, "lies under '" + relative + "', which the archive made a file");
        }
      }
      Files.createDirectories(dir);
    }

    private UnpackException readFailure(String where, Exception e) throws TransferFailedException {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof TransferFailedException network) {
          throw network;
        }
        if (t instanceof MeteredInputStream.LimitException limit) {
          return limit.configurable()
              ? SafeUnpacker.this.limit(archive, limit.getMessage())
              : SafeUnpacker.unsafeArchive(archive, limit.getMessage());
        }
      }
      String cause =
          e instanceof IOException io ? Downloader.describe(io) : String.valueOf(e.getMessage());
      return new UnpackException(
          UnpackException.Kind.ARCHIVE,
          "Archive " + archive + " is truncated or corrupt (reading " + where + ": " + cause + ").",
          e);
    }

    /** A file system error while creating entries: the archive's shape, or this machine. */
    private UnpackException writeFailure(String name, IOException e) {
      IOException cause = e instanceof UnpackedFileWriter.EntryWriteException w ? w.cause() : e;
      String entryName =
          e instanceof UnpackedFileWriter.EntryWriteException w
              ? root.relativize(w.target()).toString()
              : name;
      String reason = cause instanceof FileSystemException fs ? fs.getReason() : null;
      boolean shape =
          cause instanceof FileAlreadyExistsException
              || cause instanceof NotDirectoryException
              || cause instanceof DirectoryNotEmptyException
              || reason != null
                  && (reason.contains("Not a directory")
                      || reason.contains("Is a directory")
                      || reason.contains("File name too long"));
      if (shape) {
        return malformed(entryName, "cannot be created (" + Downloader.describe(cause) + ")");
      }
      return local(archive, root, entryName, cause);
    }

    private UnpackException unsafe(String name, String why) {
      return SafeUnpacker.unsafe(archive, name, why);
    }

    private UnpackException malformed(String name, String why) {
      return new UnpackException(
          UnpackException.Kind.ARCHIVE,
          "Cannot unpack " + archive + ": entry '" + name + "' " + why + ".",
          null);
    }

    private UnpackException limit(String why) {
      return SafeUnpacker.this.limit(archive, why);
    }
  }

  private UnpackException limit(String archive, String why) {
    return refusing(
        archive,
        why,
        "No python-build-standalone archive comes near that; if this one really is that large,"
            + " raise the limit.");
  }

  private static UnpackException local(String archive, Path dest, String name, IOException e) {
    String what = e instanceof AccessDeniedException ? "permission denied" : Downloader.describe(e);
    return new UnpackException(
        UnpackException.Kind.LOCAL,
        "Cannot write the unpacked "
            + archive
            + " to "
            + dest
            + (name.isEmpty() ? "" : " (entry '" + name + "')")
            + ": "
            + what
            + ". Free some space there or check its permissions, or unpack elsewhere with -D"
            + PropertyNames.OUTPUT_DIR
            + "=DIR.",
        e);
  }

  /** A failure reading the archive (not writing the file) while streaming one entry. */
  private static final class EntryReadException extends IOException {
    private static final long serialVersionUID = 1L;

    EntryReadException(IOException cause) {
      super(cause);
    }

    IOException readFailure() {
      return (IOException) getCause();
    }
  }

  /** Resolves an entry name inside {@code root}, refusing anything that would land outside. */
  static Path checkedPath(Path root, String name, String archive) throws UnpackException {
    String clean = name;
    while (clean.startsWith("./")) {
      clean = clean.substring(2);
    }
    if (clean.isEmpty()
        || clean.startsWith("/")
        || clean.startsWith("\\")
        || hasDriveLetter(clean)) {
      throw unsafe(archive, name, "has an absolute path");
    }
    if (hasDotDotSegment(clean)) {
      throw unsafe(archive, name, "contains '..'");
    }
    Path target = resolve(root, clean, name, archive);
    if (!target.startsWith(root) || target.equals(root)) {
      throw unsafe(archive, name, "points outside the destination");
    }
    return target;
  }

  /** {@code C:...}: absolute on Windows. (No regex: this runs for every entry.) */
  private static boolean hasDriveLetter(String path) {
    return path.length() >= 2
        && path.charAt(1) == ':'
        && (path.charAt(0) >= 'A' && path.charAt(0) <= 'Z'
            || path.charAt(0) >= 'a' && path.charAt(0) <= 'z');
  }

  /** Whether a {@code /}- or {@code \\}-separated segment is {@code ..}. */
  private static boolean hasDotDotSegment(String path) {
    int start = 0;
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/' || path.charAt(i) == '\\') {
        if (i - start == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  /**
   * {@code base/relative}, normalized. Under a non-UTF-8 locale (e.g. LANG unset) the JVM encodes
   * file names as ASCII and cannot create a non-ASCII one: say so instead of failing with Java's
   * "Malformed input" exception.
   */
  private static Path resolve(Path base, String relative, String name, String archive)
      throws UnpackException {
    try {
      return base.resolve(relative).normalize();
    } catch (InvalidPathException e) {
      throw new UnpackException(
          UnpackException.Kind.LOCAL,
          "Cannot unpack "
              + archive
              + ": entry '"
              + name
              + "' has a name this JVM cannot write, as it encodes file names as "
              + System.getProperty("sun.jnu.encoding")
              + " (from its locale). Run the build under a UTF-8 locale, e.g. LC_ALL=C.UTF-8.",
          e);
    }
  }

  /** Something about the whole archive no real one does. */
  private static UnpackException unsafeArchive(String archive, String why) {
    return refusing(archive, why, "A genuine python-build-standalone archive never does this.");
  }

  /** Something about one entry no real archive does. */
  private static UnpackException unsafe(String archive, String name, String why) {
    return unsafeArchive(archive, "entry '" + name + "' " + why);
  }

  /** "Refusing to unpack ARCHIVE: WHY. ADVICE": the archive itself is the problem. */
  private static UnpackException refusing(String archive, String why, String advice) {
    return new UnpackException(
        UnpackException.Kind.ARCHIVE,
        "Refusing to unpack " + archive + ": " + why + ". " + advice,
        null);
  }

  /**
   * Creates the parent directories and removes whatever is at {@code target} (without following
   * it).
   */
  private static void prepareParent(Path target) throws IOException {
    Files.createDirectories(target.getParent());
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException(target.toString(), null, "a directory is in the way");
      }
      Files.delete(target);
    }
  }

  private static void applyModeAndTime(Path target, int mode, FileTime time) {
    try {
      Files.setPosixFilePermissions(target, permissions(mode));
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system (Windows): modes do not apply there.
    }
    setTime(target, time, false);
  }

  private static void setTime(Path target, FileTime time, boolean noFollow) {
    try {
      BasicFileAttributeView view =
          noFollow
              ? Files.getFileAttributeView(
                  target, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              : Files.getFileAttributeView(target, BasicFileAttributeView.class);
      view.setTimes(time, time, null);
    } catch (IOException e) {
      // Some file systems cannot set a symlink's own time; the content is what matters.
    }
  }

  /** The {@code rwx} bits of a tar mode; set-id and sticky bits are dropped on purpose. */
  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(order[bit]);
      }
    }
    return set;
  }
}
