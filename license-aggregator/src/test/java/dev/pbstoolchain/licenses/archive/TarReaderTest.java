package dev.pbstoolchain.licenses.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.testing.ExternalTool;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GNU tar and commons-compress write the archives; the reader must see what they wrote. */
class TarReaderTest {

  /** 120 characters: past ustar's 100-byte name field, within its 155-byte prefix. */
  private static final String LONG_DIR = "python/licenses/" + "d".repeat(60) + "/" + "e".repeat(42);

  @TempDir Path work;

  @ParameterizedTest
  @ValueSource(strings = {"gnu", "pax", "ustar", "oldgnu"})
  void readsWhatGnuTarWritesInEachFormat(String format) throws Exception {
    Path tree = work.resolve("tree");
    Map<String, byte[]> files = new LinkedHashMap<>();
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 511, 512, 513, 100_000}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      files.put("python/install/f" + size, data);
    }
    String longName = LONG_DIR + "/LICENSE." + "x".repeat(format.equals("ustar") ? 20 : 150);
    files.put(longName, "long\n".getBytes());
    for (var e : files.entrySet()) {
      Files.createDirectories(tree.resolve(e.getKey()).getParent());
      Files.write(tree.resolve(e.getKey()), e.getValue());
    }
    Files.createSymbolicLink(tree.resolve("python/install/link"), Path.of("f513"));
    Files.createLink(tree.resolve("python/install/hard"), tree.resolve("python/install/f511"));
    Path archive = work.resolve(format + ".tar");
    run(tree, "tar", "--format=" + format, "--sort=name", "-cf", archive.toString(), "python");

    Map<String, byte[]> read = new LinkedHashMap<>();
    List<String> others = new ArrayList<>();
    // Chunks of 7 bytes: every header and entry straddles chunks.
    TarReader tar = new TarReader(chunks(Files.readAllBytes(archive), 7));
    TarReader.Entry entry;
    while ((entry = tar.next()) != null) {
      if (entry.isFile()) {
        read.put(entry.name(), tar.content(1 << 20));
      } else {
        others.add(entry.name() + " " + entry.size());
      }
    }
    assertThat(read.keySet()).containsExactlyInAnyOrderElementsOf(files.keySet());
    for (var e : files.entrySet()) {
      assertThat(read.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(others)
        .contains("python/ 0", "python/install/link 0", "python/install/hard 0")
        .contains(LONG_DIR + "/ 0");
  }

  @Test
  void passesOverEntriesLeftUnreadAndReadsPaxPathsFromCommonsCompress() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      add(out, "python/install/big", new byte[300_000]);
      add(out, LONG_DIR + "/" + "n".repeat(200), "pax".getBytes());
      add(out, "python/PYTHON.json", "{}".getBytes());
    }
    TarReader tar = new TarReader(chunks(bytes.toByteArray(), 4096));
    assertThat(tar.next())
        .isEqualTo(
            new TarReader.Entry("python/install/big", 300_000, TarReader.Type.FILE, "", false));
    assertThat(tar.next().name()).isEqualTo(LONG_DIR + "/" + "n".repeat(200));
    assertThat(tar.content(10)).isEqualTo("pax".getBytes());
    assertThat(tar.next().name()).isEqualTo("python/PYTHON.json");
    assertThat(tar.next()).isNull();
  }

  @Test
  void readsBase256SizesAsStarAndGnuWriteThemPast8GiB() throws IOException {
    TarArchiveEntry big = new TarArchiveEntry("python/install/huge");
    big.setSize(10L << 30);
    byte[] block = new byte[512];
    big.writeEntryHeader(block, ZipEncodingHelper.getZipEncoding("UTF-8"), true);
    assertThat(block[124] & 0x80).isNotZero();
    assertThat(TarHeader.from(block).size()).isEqualTo(10L << 30);
  }

  @Test
  void aBadChecksumIsCorruption() throws IOException {
    byte[] archive = tar(Map.entry("python/PYTHON.json", "{}".getBytes()));
    archive[10] ^= 1;
    assertThatThrownBy(() -> new TarReader(chunks(archive, 512)).next())
        .isInstanceOf(IOException.class)
        .hasMessage("a tar header's checksum does not match (not a tar stream, or corrupt)");
  }

  @Test
  void aStreamEndingInsideAnEntryIsTruncation() throws IOException {
    byte[] archive =
        tar(
            Map.entry("python/install/big", new byte[10_000]),
            Map.entry("python/PYTHON.json", "{}".getBytes()));
    byte[] cut = Arrays.copyOf(archive, 5_000);
    TarReader tar = new TarReader(chunks(cut, 1000));
    assertThat(tar.next().name()).isEqualTo("python/install/big");
    assertThatThrownBy(tar::next)
        .isInstanceOf(EOFException.class)
        .hasMessage("the archive ends inside an entry");
  }

  @Test
  void refusesToHoldAnEntryLargerThanAsked() throws IOException {
    TarReader tar =
        new TarReader(chunks(tar(Map.entry("python/PYTHON.json", new byte[2000])), 512));
    tar.next();
    assertThatThrownBy(() -> tar.content(1000))
        .hasMessage("the entry claims 2000 bytes, more than the 1000 this file can hold");
  }

  @Test
  void passesOverGnuSparseFilesAndNamesThemAsStored() throws Exception {
    Path tree = work.resolve("tree");
    Files.createDirectories(tree.resolve("python/install"));
    // Six holes: the old GNU format needs an extension block for the sparse map past four.
    try (FileChannel file =
        FileChannel.open(
            tree.resolve("python/install/sparse.db"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE)) {
      for (int i = 1; i <= 6; i++) {
        file.write(ByteBuffer.wrap(("data" + i).getBytes()), i * (1L << 20));
      }
    }
    Files.writeString(tree.resolve("python/PYTHON.json"), "{}");
    for (String format : new String[] {"gnu", "pax"}) {
      Path archive = work.resolve("sparse-" + format + ".tar");
      run(tree, "tar", "--sparse", "--format=" + format, "-cf", archive.toString(), "python");
      List<String> seen = new ArrayList<>();
      TarReader tar = new TarReader(chunks(Files.readAllBytes(archive), 4096));
      TarReader.Entry entry;
      while ((entry = tar.next()) != null) {
        seen.add(entry.name() + (entry.sparse() ? " sparse" : ""));
        if (entry.name().equals("python/PYTHON.json")) {
          assertThat(tar.content(10)).as(format).isEqualTo("{}".getBytes());
        }
      }
      assertThat(seen).as(format).contains("python/install/sparse.db sparse", "python/PYTHON.json");
    }
  }

  @Test
  void skipsTheDataOfSymlinksThatDeclareASizeAsGnuTarDoes() throws IOException {
    byte[] archive =
        tar(
            Map.entry("python/install/link", new byte[600]),
            Map.entry("python/PYTHON.json", "{}".getBytes()));
    retype(archive, 0, '2');
    TarReader tar = new TarReader(chunks(archive, 512));
    assertThat(tar.next().type()).isEqualTo(TarReader.Type.SYMLINK);
    assertThat(tar.next().name()).isEqualTo("python/PYTHON.json");
  }

  @Test
  void readsSolarisExtendedHeadersAndOldStyleDirectories() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String longName = LONG_DIR + "/" + "s".repeat(120);
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.putArchiveEntry(new TarArchiveEntry("python/licenses/"));
      out.closeArchiveEntry();
      add(out, longName, "text".getBytes());
    }
    byte[] archive = bytes.toByteArray();
    retype(archive, 0, 0); // a pre-POSIX directory: a "file" whose name ends in '/'
    assertThat(archive[512 + 156]).isEqualTo((byte) 'x');
    retype(archive, 512, 'X');
    TarReader tar = new TarReader(chunks(archive, 512));
    assertThat(tar.next().type()).isEqualTo(TarReader.Type.DIRECTORY);
    TarReader.Entry entry = tar.next();
    assertThat(entry.name()).isEqualTo(longName);
    assertThat(tar.content(10)).isEqualTo("text".getBytes());
  }

  /** Sets the typeflag of the header at {@code offset} and its checksum to match. */
  private static void retype(byte[] archive, int offset, int typeflag) {
    archive[offset + 156] = (byte) typeflag;
    Arrays.fill(archive, offset + 148, offset + 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += archive[offset + i] & 0xff;
    }
    byte[] field = String.format("%06o\0 ", sum).getBytes();
    System.arraycopy(field, 0, archive, offset + 148, 8);
  }

  @SafeVarargs
  private static byte[] tar(Map.Entry<String, byte[]>... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : entries) {
        add(out, entry.getKey(), entry.getValue());
      }
    }
    return bytes.toByteArray();
  }

  static TarReader.Source chunks(byte[] bytes, int size) {
    int[] at = {0};
    return () -> {
      if (at[0] == bytes.length) {
        return null;
      }
      int n = Math.min(size, bytes.length - at[0]);
      ByteBuffer chunk = ByteBuffer.wrap(bytes, at[0], n).slice();
      at[0] += n;
      return chunk;
    };
  }

  private static void add(TarArchiveOutputStream out, String name, byte[] data) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(data.length);
    out.putArchiveEntry(entry);
    out.write(data);
    out.closeArchiveEntry();
  }

  private static void run(Path dir, String... command) {
    ExternalTool.run(dir, Map.of(), command).orFail();
  }
}
