package dev.pbstoolchain.testing;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The entries of a test tar archive, written like PBS writes them: no directory entries, sorted,
 * one mtime. Entry names are taken verbatim, so tests can also build hostile archives.
 */
public final class TarEntries {

  /** PBS archives carry real mtimes; any fixed one will do. */
  public static final long MTIME_SECONDS = 1_700_000_000L;

  private record Entry(String name, Path source, byte[] bytes, String link, byte type, int mode) {}

  private final List<Entry> entries = new ArrayList<>();

  public TarEntries file(String name, Path source, int mode) {
    entries.add(new Entry(name, source, null, null, TarConstants.LF_NORMAL, mode));
    return this;
  }

  public TarEntries text(String name, String content, int mode) {
    entries.add(
        new Entry(
            name,
            null,
            content.getBytes(StandardCharsets.UTF_8),
            null,
            TarConstants.LF_NORMAL,
            mode));
    return this;
  }

  public TarEntries symlink(String name, String target) {
    entries.add(new Entry(name, null, null, target, TarConstants.LF_SYMLINK, 0777));
    return this;
  }

  public TarEntries hardlink(String name, String target) {
    entries.add(new Entry(name, null, null, target, TarConstants.LF_LINK, 0644));
    return this;
  }

  public int size() {
    return entries.size();
  }

  /** Writes {@code .tar.gz} or {@code .tar.zst} depending on the file name. */
  public void write(Path archive) throws IOException {
    Files.createDirectories(archive.toAbsolutePath().getParent());
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 16);
        OutputStream compressed =
            archive.toString().endsWith(".zst")
                ? new ZstdOutputStream(file, 3)
                : new GZIPOutputStream(file, 1 << 16);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      List<Entry> sorted = new ArrayList<>(entries);
      sorted.sort(Comparator.comparing(Entry::name));
      for (Entry e : sorted) {
        TarArchiveEntry entry = new TarArchiveEntry(e.name(), e.type(), true);
        entry.setMode(e.mode() | (e.type() == TarConstants.LF_SYMLINK ? 0120000 : 0100000));
        entry.setModTime(MTIME_SECONDS * 1000);
        if (e.link() != null) {
          entry.setLinkName(e.link());
          tar.putArchiveEntry(entry);
        } else if (e.bytes() != null) {
          entry.setSize(e.bytes().length);
          tar.putArchiveEntry(entry);
          tar.write(e.bytes());
        } else {
          entry.setSize(Files.size(e.source()));
          tar.putArchiveEntry(entry);
          try (InputStream in = Files.newInputStream(e.source())) {
            in.transferTo(tar);
          }
        }
        tar.closeArchiveEntry();
      }
    }
  }
}
