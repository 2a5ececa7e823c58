package dev.pbstoolchain.core.verify;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Opens a produced artifact the way its users will: unpacks a tar.gz, the data of a deb, the
 * payload of an rpm or a zip into a directory, with modes and symlinks.
 */
final class ArtifactExtractor {

  private ArtifactExtractor() {}

  static void extract(Path artifact, String type, Path into) throws IOException {
    Files.createDirectories(into);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(artifact), 1 << 16)) {
      switch (type) {
        case "tar.gz" -> unpack(new TarArchiveInputStream(new GZIPInputStream(in), "UTF-8"), into);
        case "zip" -> unpack(new ZipArchiveInputStream(in, "UTF-8"), into);
        case "deb" -> {
          ArArchiveInputStream ar = new ArArchiveInputStream(in);
          ArchiveEntry entry;
          while ((entry = ar.getNextEntry()) != null) {
            if (entry.getName().startsWith("data.tar")) {
              unpack(
                  new TarArchiveInputStream(decompress(new BufferedInputStream(ar)), "UTF-8"),
                  into);
              return;
            }
          }
          throw new IOException(artifact + " has no data.tar member");
        }
        case "rpm" -> {
          DataInputStream data = new DataInputStream(in);
          data.skipNBytes(96);
          int signature = skipHeader(data);
          data.skipNBytes((8 - signature % 8) % 8);
          skipHeader(data);
          unpack(new CpioArchiveInputStream(decompress(data)), into);
        }
        default -> throw new IOException("unknown artifact type " + type);
      }
    }
  }

  private static int skipHeader(DataInputStream data) throws IOException {
    data.skipNBytes(8);
    int entries = data.readInt();
    int size = data.readInt();
    data.skipNBytes(16L * entries + size);
    return 16 + 16 * entries + size;
  }

  private static InputStream decompress(InputStream in) throws IOException {
    InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in);
    buffered.mark(6);
    byte[] magic = buffered.readNBytes(6);
    buffered.reset();
    if (magic[0] == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GZIPInputStream(buffered);
    }
    if ((magic[0] & 0xff) == 0xfd && magic[1] == '7') {
      return new XZCompressorInputStream(buffered);
    }
    if ((magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5) {
      return new ZstdInputStreamNoFinalizer(buffered);
    }
    return buffered;
  }

  private static <E extends ArchiveEntry> void unpack(ArchiveInputStream<E> archive, Path root)
      throws IOException {
    E entry;
    while ((entry = archive.getNextEntry()) != null) {
      String name = entry.getName();
      while (name.startsWith("./")) {
        name = name.substring(2);
      }
      if (name.isEmpty() || name.equals(".") || name.equals("TRAILER!!!")) {
        continue;
      }
      Path target = root.resolve(name).normalize();
      if (!target.startsWith(root)) {
        throw new IOException("entry " + name + " escapes the extraction directory");
      }
      int mode = mode(entry);
      if (entry.isDirectory() || (mode & 0170000) == 040000) {
        Files.createDirectories(target);
        continue;
      }
      Files.createDirectories(target.getParent());
      String link = linkTarget(entry, archive);
      if (link != null) {
        Files.deleteIfExists(target);
        Files.createSymbolicLink(target, Path.of(link));
        continue;
      }
      Files.copy(archive, target, StandardCopyOption.REPLACE_EXISTING);
      if (mode != 0) {
        Files.setPosixFilePermissions(target, permissions(mode));
      }
    }
  }

  private static int mode(ArchiveEntry entry) {
    if (entry instanceof TarArchiveEntry t) {
      return t.getMode();
    }
    if (entry instanceof CpioArchiveEntry c) {
      return (int) c.getMode();
    }
    if (entry instanceof ZipArchiveEntry z) {
      return z.getUnixMode();
    }
    return 0;
  }

  private static String linkTarget(ArchiveEntry entry, InputStream content) throws IOException {
    if (entry instanceof TarArchiveEntry t && t.isSymbolicLink()) {
      return t.getLinkName();
    }
    if (entry instanceof CpioArchiveEntry c && c.isSymbolicLink()) {
      return new String(content.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    return null;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values();
    // OWNER_READ .. OTHERS_EXECUTE map to bits 8..0.
    for (int i = 0; i < 9; i++) {
      if ((mode & (1 << (8 - i))) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }
}
