package dev.pbstoolchain.packagers.tar;

import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.io.AtomicOutput;
import dev.pbstoolchain.packagers.io.ParallelGzipOutputStream;
import dev.pbstoolchain.packagers.layout.Entry;
import dev.pbstoolchain.packagers.layout.Layout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Reproducible {@code .tar.gz}: sorted entries, owner {@code root:root} (0:0), one mtime, modes as
 * the layout says, symlinks kept, PAX headers for long names, and a gzip header with no name and no
 * time.
 */
public final class TarGzWriter {

  private TarGzWriter() {}

  public static void write(Layout layout, Path output, long epochSeconds)
      throws PackagingException {
    AtomicOutput.write(
        output,
        out -> {
          try (OutputStream gzip = gzip(out, 6)) {
            writeTar(layout, gzip, epochSeconds, "");
          }
        });
  }

  /** A gzip stream with a reproducible header (no name, no time), compressed on every core. */
  public static OutputStream gzip(OutputStream out, int level) throws IOException {
    return new ParallelGzipOutputStream(out, level);
  }

  /** Sees (and may wrap) each file's content stream as it is written, e.g. to hash it. */
  @FunctionalInterface
  public interface ContentTap {
    InputStream tap(Entry entry, InputStream content);
  }

  /** Writes the layout as a tar stream, each path prefixed (e.g. {@code ./}). */
  public static void writeTar(Layout layout, OutputStream out, long epochSeconds, String prefix)
      throws IOException {
    writeTar(layout, out, epochSeconds, prefix, (entry, content) -> content);
  }

  public static void writeTar(
      Layout layout, OutputStream out, long epochSeconds, String prefix, ContentTap tap)
      throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, 10240, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    Date mtime = new Date(epochSeconds * 1000);
    if (prefix.equals("./")) {
      TarArchiveEntry root = new TarArchiveEntry("./", TarConstants.LF_DIR, true);
      root.setMode(040755);
      own(root, "root", "root");
      root.setModTime(mtime);
      tar.putArchiveEntry(root);
      tar.closeArchiveEntry();
    }
    for (Entry e : layout.entries()) {
      String name = prefix + e.path() + (e.isDirectory() ? "/" : "");
      TarArchiveEntry entry;
      switch (e.kind()) {
        case DIRECTORY -> {
          entry = new TarArchiveEntry(name, TarConstants.LF_DIR, true);
          entry.setMode(040000 | e.mode());
        }
        case SYMLINK -> {
          entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
          entry.setLinkName(e.linkTarget());
          entry.setMode(0120000 | e.mode());
        }
        default -> {
          entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
          entry.setMode(0100000 | e.mode());
          entry.setSize(e.size());
        }
      }
      own(entry, e.owner(), e.group());
      entry.setModTime(mtime);
      tar.putArchiveEntry(entry);
      if (e.isFile()) {
        try (InputStream in = tap.tap(e, Files.newInputStream(e.source()))) {
          long copied = in.transferTo(tar);
          if (copied != e.size()) {
            throw new IOException(
                e.source()
                    + " changed while packaging ("
                    + copied
                    + " bytes, expected "
                    + e.size()
                    + ")");
          }
        }
      }
      tar.closeArchiveEntry();
    }
    tar.finish();
  }

  private static void own(TarArchiveEntry entry, String user, String group) {
    entry.setUserName(user);
    entry.setGroupName(group);
    entry.setUserId(user.equals("root") ? 0 : 0);
    entry.setGroupId(0);
  }
}
