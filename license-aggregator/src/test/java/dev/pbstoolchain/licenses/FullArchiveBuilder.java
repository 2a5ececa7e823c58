package dev.pbstoolchain.licenses;

import com.github.luben.zstd.ZstdOutputStream;
import dev.pbstoolchain.testing.SharedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds a PBS-shaped {@code *-full.tar.zst}: a large filler under {@code python/install} first,
 * then {@code python/PYTHON.json} and the real licence texts PBS ships, last.
 */
final class FullArchiveBuilder {

  static final Path LICENSES = SharedFixtures.of("pbs/licenses");

  /** The name PBS gives the Linux x86_64 full archive of the release the tests mimic. */
  static final String LINUX_FULL =
      "cpython-3.11.10+20241016-x86_64-unknown-linux-gnu-pgo+lto-full.tar.zst";

  private FullArchiveBuilder() {}

  static Path build(Path dir, String name, Path pythonJson, long fillerBytes) throws IOException {
    return build(dir, name, pythonJson, fillerBytes, List.of());
  }

  /** Also adds {@code extraLicenses} (test resources) to python/licenses/. */
  static Path build(Path dir, String name, Path pythonJson, long fillerBytes, List<Path> extras)
      throws IOException {
    Path archive = dir.resolve(name);
    try (OutputStream file = Files.newOutputStream(archive);
        ZstdOutputStream zstd = new ZstdOutputStream(file, 1);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(zstd)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      if (fillerBytes > 0) {
        TarArchiveEntry filler = new TarArchiveEntry("python/install/lib/libpython3.11.a");
        filler.setSize(fillerBytes);
        tar.putArchiveEntry(filler);
        byte[] block = new byte[1 << 16];
        Random random = new Random(42);
        for (long written = 0; written < fillerBytes; written += block.length) {
          random.nextBytes(block);
          tar.write(block, 0, (int) Math.min(block.length, fillerBytes - written));
        }
        tar.closeArchiveEntry();
      }
      add(tar, "python/PYTHON.json", pythonJson);
      try (Stream<Path> files = Stream.concat(Files.list(LICENSES), extras.stream())) {
        for (Path license : files.sorted(Comparator.comparing(Path::getFileName)).toList()) {
          add(tar, "python/licenses/" + license.getFileName(), license);
        }
      }
    }
    return archive;
  }

  private static void add(TarArchiveOutputStream tar, String name, Path source) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(Files.size(source));
    entry.setModTime(0);
    // Fixed owner: the default is the current user, which would change the archive's hash.
    entry.setUserName("root");
    entry.setGroupName("root");
    tar.putArchiveEntry(entry);
    try (InputStream in = Files.newInputStream(source)) {
      in.transferTo(tar);
    }
    tar.closeArchiveEntry();
  }

  static final Path READLINE_GPL =
      Path.of("src/test/resources/licenses-extra/LICENSE.readline.txt").toAbsolutePath();

  static Path resource(String name) {
    return Path.of("src/test/resources/python-json", name).toAbsolutePath();
  }
}
