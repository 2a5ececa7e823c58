package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.PbsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a tar stream into a directory without letting it write anywhere else: refuses absolute
 * names, {@code ..} segments, and symbolic or hard links that point outside. Keeps symlinks, hard
 * links, permission bits and mtimes; creates parents (PBS archives have no directory entries).
 */
final class SafeUnpacker {

  private static final int BUFFER = 1 << 16;

  private final Set<Path> createdDirectories = new HashSet<>();
  private final Set<Path> createdLinks = new HashSet<>();

  private final byte[] buffer = new byte[BUFFER];

  /**
   * Unpacks {@code tar} into {@code dest} (an empty directory). {@code archive} names the archive
   * in error messages.
   */
  void unpack(InputStream tar, Path dest, String archive) throws PbsException, IOException {
    try (UnpackedFileWriter files = new UnpackedFileWriter(dest)) {
      unpack(tar, dest, archive, files);
    }
  }

  private void unpack(InputStream tar, Path dest, String archive, UnpackedFileWriter files)
      throws PbsException, IOException {
    Path root = dest.toAbsolutePath().normalize();
    Set<Path> seen = new HashSet<>();
    List<Runnable> directoryFixups = new ArrayList<>();
    TarArchiveInputStream in = new TarArchiveInputStream(tar, "UTF-8");
    TarArchiveEntry entry;
    try {
      entry = in.getNextEntry();
    } catch (IOException e) {
      throw corrupt(archive, "its first entry", e);
    }
    while (entry != null) {
      String name = entry.getName();
      Path target = checkedPath(root, name, archive);
      refuseThroughSymlink(root, target, name, archive);
      boolean replaces = !seen.add(target);
      if (replaces || entry.isLink()) {
        // A later entry replaces an earlier one, and a hard link needs its source complete.
        files.drain();
      }
      if (entry.isDirectory()) {
        Files.createDirectories(target);
        int mode = entry.getMode();
        FileTime time = FileTime.from(entry.getModTime().toInstant());
        directoryFixups.add(() -> applyModeAndTime(target, mode | 0700, time));
      } else if (entry.isSymbolicLink()) {
        String linkTarget = entry.getLinkName();
        checkLinkTarget(root, target, linkTarget, name, archive);
        ensureParent(target);
        try {
          Files.createSymbolicLink(target, Path.of(linkTarget));
        } catch (FileAlreadyExistsException e) {
          prepareParent(target);
          Files.createSymbolicLink(target, Path.of(linkTarget));
        }
        createdLinks.add(target);
        setTime(target, FileTime.from(entry.getModTime().toInstant()), true);
      } else if (entry.isLink()) {
        Path source = checkedPath(root, entry.getLinkName(), archive);
        refuseThroughSymlink(root, source, name, archive);
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
          throw PbsException.failure(
              "Archive "
                  + archive
                  + " has a hard link '"
                  + name
                  + "' to '"
                  + entry.getLinkName()
                  + "', which is not a file unpacked before it. The archive is malformed; fetch"
                  + " it again or report it to the mirror's owner.");
        }
        prepareParent(target);
        try {
          Files.createLink(target, source);
        } catch (UnsupportedOperationException | IOException e) {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      } else if (entry.isFile()) {
        ensureParent(target);
        if (replaces) {
          prepareParent(target);
        }
        int size = fileSize(entry, archive);
        int mode = entry.getMode();
        FileTime time = FileTime.from(entry.getModTime().toInstant());
        if (size <= UnpackedFileWriter.LARGEST_QUEUED_FILE) {
          files.queue(target, content(in, size, archive, name), mode, time);
        } else {
          try {
            files.stream(target, mode, time, out -> copy(in, out));
          } catch (EntryReadException e) {
            throw corrupt(archive, "entry '" + name + "'", e.readFailure());
          }
        }
      } else {
        throw PbsException.failure(
            "Archive "
                + archive
                + " has entry '"
                + name
                + "' of an unsupported kind (device,"
                + " fifo...). Python distributions never contain such entries: the archive is"
                + " not a PBS release.");
      }
      try {
        entry = in.getNextEntry();
      } catch (IOException e) {
        throw corrupt(archive, "the entry after '" + name + "'", e);
      }
    }
    // Directory times last: writing the files into them changed their mtimes.
    files.drain();
    for (int i = directoryFixups.size() - 1; i >= 0; i--) {
      directoryFixups.get(i).run();
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

  private static byte[] content(InputStream in, int size, String archive, String name)
      throws PbsException {
    byte[] content;
    try {
      content = in.readNBytes(size);
    } catch (IOException e) {
      throw corrupt(archive, "entry '" + name + "'", e);
    }
    if (content.length != size) {
      throw corrupt(
          archive,
          "entry '" + name + "'",
          new java.io.EOFException("it ends after " + content.length + " of " + size + " bytes"));
    }
    return content;
  }

  private static int fileSize(TarArchiveEntry entry, String archive) throws PbsException {
    long size = entry.getSize();
    if (size < 0 || size > Integer.MAX_VALUE) {
      throw PbsException.failure(
          "Archive "
              + archive
              + " has entry '"
              + entry.getName()
              + "' of size "
              + size
              + ", which no Python distribution has: the archive is not a PBS release.");
    }
    return (int) size;
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
  static Path checkedPath(Path root, String name, String archive) throws PbsException {
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

  private static void checkLinkTarget(
      Path root, Path link, String linkTarget, String name, String archive) throws PbsException {
    if (linkTarget.isEmpty() || linkTarget.startsWith("/") || hasDriveLetter(linkTarget)) {
      throw unsafe(archive, name, "is a symbolic link to the absolute path '" + linkTarget + "'");
    }
    Path resolved = resolve(link.getParent(), linkTarget, name, archive);
    if (!resolved.startsWith(root)) {
      throw unsafe(
          archive, name, "is a symbolic link to '" + linkTarget + "', outside the destination");
    }
  }

  /**
   * {@code base/relative}, normalized. Under a non-UTF-8 locale (e.g. LANG unset) the JVM encodes
   * file names as ASCII and cannot create a non-ASCII one: say so instead of failing with Java's
   * "Malformed input" exception.
   */
  private static Path resolve(Path base, String relative, String name, String archive)
      throws PbsException {
    try {
      return base.resolve(relative).normalize();
    } catch (InvalidPathException e) {
      throw PbsException.failure(
          "Cannot unpack "
              + archive
              + ": entry '"
              + name
              + "' has a name this JVM cannot write, as it encodes file names as "
              + System.getProperty("sun.jnu.encoding")
              + " (from its locale). Run the build under a UTF-8 locale, e.g. LC_ALL=C.UTF-8.");
    }
  }

  private static PbsException unsafe(String archive, String name, String why) {
    return PbsException.failure(
        "Refusing to unpack "
            + archive
            + ": entry '"
            + name
            + "' "
            + why
            + ". Nothing was unpacked. A genuine PBS archive never does this: check the mirror"
            + " (pbs.mirror) serves the real release.");
  }

  private static PbsException corrupt(String archive, String where, IOException e) {
    return PbsException.failure(
        "Archive "
            + archive
            + " is truncated or corrupt (reading "
            + where
            + ": "
            + Downloader.describe(e)
            + "). Nothing was unpacked or cached; fetch again, and if it keeps failing check that"
            + " the mirror (pbs.mirror) serves the complete file.",
        e);
  }

  /**
   * Link targets are checked where the link lexically sits; a path through an earlier symlink would
   * sit elsewhere and could climb out, so such paths are refused (PBS archives never use them).
   */
  private void refuseThroughSymlink(Path root, Path target, String name, String archive)
      throws PbsException {
    for (Path p = target.getParent(); p != null && !p.equals(root); p = p.getParent()) {
      if (createdLinks.contains(p)) {
        throw unsafe(archive, name, "goes through the symbolic link '" + root.relativize(p) + "'");
      }
    }
  }

  private void ensureParent(Path target) throws IOException {
    Path parent = target.getParent();
    // PBS archives have no directory entries: remember what exists to save a syscall per file.
    if (createdDirectories.add(parent)) {
      Files.createDirectories(parent);
    }
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
