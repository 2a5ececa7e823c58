package dev.pbstoolchain.packagers.zip;

import dev.pbstoolchain.packagers.PackagingException;
import dev.pbstoolchain.packagers.deflate.DeflatedBodies;
import dev.pbstoolchain.packagers.layout.CaseFolding;
import dev.pbstoolchain.packagers.layout.Entry;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.output.AtomicOutput;
import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TimeZone;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Reproducible {@code .zip} for Windows: sorted entries, one timestamp (stored as UTC wall-clock
 * time whatever the build machine's time zone), symlinks replaced by copies of their targets, and
 * no two paths that collide on a case-insensitive file system ({@link CaseFolding}).
 */
public final class ZipWriter {

  private ZipWriter() {}

  /** An empty final deflate block: ends a spliced body that stops on a sync flush. */
  private static final byte[] FINAL_BLOCK = {0x03, 0x00};

  /**
   * Writes the zip, each file entry's deflated data spliced from {@code bodies} (deflated once for
   * every format of a release).
   */
  public static void write(Layout given, Path output, long epochSeconds, DeflatedBodies bodies)
      throws PackagingException {
    Layout layout = CaseFolding.fold(given, output.getFileName().toString());
    long millis = epochSeconds * 1000;
    // Zip stores local "DOS" time; shift so that it reads as the UTC time in every zone.
    long dosTime = millis - TimeZone.getDefault().getOffset(millis);
    AtomicOutput.write(
        output,
        out -> {
          ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out);
          zip.setEncoding("UTF-8");
          zip.setUseLanguageEncodingFlag(true);
          for (Entry e : layout.entries()) {
            Optional<Entry> content = e.isSymlink() ? layout.fileBehind(e) : Optional.of(e);
            if (content.isEmpty()) {
              throw new PackagingException(
                  output.getFileName()
                      + ": symbolic link "
                      + e.path()
                      + " -> "
                      + e.linkTarget()
                      + " points to no file of the tree; zip cannot hold links. Fix the link"
                      + " or remove it.");
            }
            Entry body = content.get();
            ZipArchiveEntry entry = new ZipArchiveEntry(e.path() + (body.isDirectory() ? "/" : ""));
            entry.setTime(dosTime);
            entry.setUnixMode((body.isDirectory() ? 040000 : 0100000) | body.mode());
            if (body.isFile()) {
              DeflatedBodies.Body deflated = bodies.body(body);
              entry.setMethod(ZipEntry.DEFLATED);
              entry.setCrc(deflated.crc());
              entry.setSize(deflated.size());
              entry.setCompressedSize(deflated.length() + FINAL_BLOCK.length);
              zip.addRawArchiveEntry(
                  entry,
                  new SequenceInputStream(
                      bodies.open(deflated), new ByteArrayInputStream(FINAL_BLOCK)));
            } else {
              zip.putArchiveEntry(entry);
              zip.closeArchiveEntry();
            }
          }
          zip.finish();
        });
  }
}
