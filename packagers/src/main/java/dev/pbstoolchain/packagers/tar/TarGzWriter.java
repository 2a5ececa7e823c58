package dev.pbstoolchain.packagers.tar;

import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.deflate.DeflatedBodies;
import dev.pbstoolchain.packagers.layout.Entry;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.output.ArchiveSink;
import dev.pbstoolchain.packagers.output.AtomicOutput;
import dev.pbstoolchain.packagers.output.SplicingGzipSink;
import dev.pbstoolchain.packagers.output.StreamingSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Reproducible {@code .tar.gz}: sorted entries, owners by name as the layout gives them ({@code
 * root:root} unless a file or directory belongs to a service user) with ids 0, so that tar and dpkg
 * map the names on the installing machine; one mtime, modes as the layout says, symlinks kept, PAX
 * headers for long names, and a gzip header with no name and no time.
 */
public final class TarGzWriter {

  private static final int RECORD = 512;
  private static final int BLOCK = 10240;

  private TarGzWriter() {}

  /**
   * Writes the tarball, each file's content spliced from {@code bodies} (deflated once for every
   * format of a release).
   */
  public static void write(Layout layout, Path output, long epochSeconds, DeflatedBodies bodies)
      throws PackagingException {
    AtomicOutput.write(
        output,
        out -> {
          SplicingGzipSink sink = new SplicingGzipSink(out, bodies);
          writeTar(layout, sink, epochSeconds, "");
          sink.finish();
        });
  }

  /** Writes the layout as a tar stream, each path prefixed (e.g. {@code ./}). */
  public static void writeTar(Layout layout, OutputStream out, long epochSeconds, String prefix)
      throws IOException {
    StreamingSink sink = new StreamingSink(out);
    writeTar(layout, sink, epochSeconds, prefix);
    sink.finish();
  }

  /**
   * Writes the layout as a tar stream into a sink; returns the digests of the files by layout path.
   */
  public static Map<String, ArchiveSink.FileDigests> writeTar(
      Layout layout, ArchiveSink sink, long epochSeconds, String prefix) throws IOException {
    Map<String, ArchiveSink.FileDigests> digests = new TreeMap<>();
    Date mtime = new Date(epochSeconds * 1000);
    if (prefix.equals("./")) {
      TarArchiveEntry root = new TarArchiveEntry("./", TarConstants.LF_DIR, true);
      root.setMode(040755);
      own(root, "root", "root");
      root.setModTime(mtime);
      sink.raw(headers(root));
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
      sink.raw(headers(entry));
      if (e.isFile()) {
        digests.put(e.path(), sink.content(e));
        int tail = (int) (e.size() % RECORD);
        if (tail != 0) {
          sink.raw(new byte[RECORD - tail]);
        }
      }
    }
    sink.raw(new byte[2 * RECORD]);
    int tail = (int) (sink.count() % BLOCK);
    if (tail != 0) {
      sink.raw(new byte[BLOCK - tail]);
    }
    return digests;
  }

  /**
   * The header records of one entry (a PAX extended header first when the name, link or a number
   * does not fit ustar), as commons-compress writes them; the content is the caller's.
   */
  private static byte[] headers(TarArchiveEntry entry) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(RECORD * 3);
    TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, RECORD, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    tar.putArchiveEntry(entry);
    tar.flush();
    // Not closed: that would demand the content, which the sink writes itself.
    return bytes.toByteArray();
  }

  private static void own(TarArchiveEntry entry, String user, String group) {
    entry.setUserName(user);
    entry.setGroupName(group);
    entry.setUserId(0);
    entry.setGroupId(0);
  }
}
