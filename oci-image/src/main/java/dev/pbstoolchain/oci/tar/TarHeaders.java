package dev.pbstoolchain.oci.tar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.attribute.FileTime;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The header records of one tar entry (ustar, with a PAX extended header first when a name, link or
 * number does not fit), as commons-compress writes them; the content and its padding are the
 * caller's. Owners are numeric ids with their names beside them, which is what a runtime applies.
 */
public final class TarHeaders {

  /** Tar's record size: headers and content are padded to it. */
  public static final int RECORD = 512;

  /** What a header describes: its type, permissions and owner. */
  public record Owner(long uid, long gid, String user, String group) {
    public static final Owner ROOT = new Owner(0, 0, "root", "root");
  }

  private TarHeaders() {}

  public static byte[] directory(String name, int mode, Owner owner, long mtimeSeconds) {
    TarArchiveEntry entry =
        new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true);
    entry.setMode(040000 | (mode & 07777));
    return headers(entry, owner, mtimeSeconds);
  }

  public static byte[] file(String name, int mode, long size, Owner owner, long mtimeSeconds) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    entry.setMode(0100000 | (mode & 07777));
    entry.setSize(size);
    return headers(entry, owner, mtimeSeconds);
  }

  public static byte[] symlink(String name, String target, Owner owner, long mtimeSeconds) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    entry.setLinkName(target);
    entry.setMode(0120777);
    return headers(entry, owner, mtimeSeconds);
  }

  /** Zero bytes that pad content of {@code size} to a whole record. */
  public static int padding(long size) {
    int tail = (int) (size % RECORD);
    return tail == 0 ? 0 : RECORD - tail;
  }

  /** The end of an archive: two zero records. */
  public static byte[] end() {
    return new byte[2 * RECORD];
  }

  private static byte[] headers(TarArchiveEntry entry, Owner owner, long mtimeSeconds) {
    entry.setUserId(owner.uid());
    entry.setGroupId(owner.gid());
    entry.setUserName(owner.user());
    entry.setGroupName(owner.group());
    entry.setLastModifiedTime(FileTime.fromMillis(mtimeSeconds * 1000));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(RECORD * 3);
    try {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, RECORD, "UTF-8");
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
      tar.putArchiveEntry(entry);
      tar.flush();
      // Not closed: that would demand the content, which the caller writes itself.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the tar header of " + entry.getName(), e);
    }
    return bytes.toByteArray();
  }
}
