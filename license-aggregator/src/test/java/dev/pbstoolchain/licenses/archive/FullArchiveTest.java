package dev.pbstoolchain.licenses.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import dev.pbstoolchain.licenses.LicenseException;
import dev.pbstoolchain.testing.ExternalTool;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives made by GNU tar and zstd themselves, shaped like the odd corners of real ones. */
class FullArchiveTest {

  @TempDir Path work;

  @Test
  void licencesStoredAsLinksGetTheirTargetsText() throws Exception {
    Path licenses = Files.createDirectories(work.resolve("tree/python/licenses"));
    Files.writeString(work.resolve("tree/python/PYTHON.json"), "{}");
    Files.writeString(licenses.resolve("LICENSE.a.txt"), "the text");
    Files.createLink(licenses.resolve("LICENSE.b.txt"), licenses.resolve("LICENSE.a.txt"));
    Files.createSymbolicLink(licenses.resolve("LICENSE.c.txt"), Path.of("LICENSE.a.txt"));
    Files.createSymbolicLink(
        licenses.resolve("LICENSE.d.txt"), Path.of("../licenses/LICENSE.c.txt"));
    Files.createSymbolicLink(licenses.resolve("LICENSE.e.txt"), Path.of("LICENSE.gone.txt"));
    Path archive = tarZst("links", "--format=gnu");

    FullArchive read = FullArchive.read(archive, null);

    assertThat(read.licenses().keySet())
        .containsExactly(
            "licenses/LICENSE.a.txt",
            "licenses/LICENSE.b.txt",
            "licenses/LICENSE.c.txt",
            "licenses/LICENSE.d.txt");
    assertThat(read.licenses().values())
        .allSatisfy(text -> assertThat(text).asString().isEqualTo("the text"));
    assertThat(read.sha256()).isEqualTo(run("sha256sum", archive.toString()).substring(0, 64));
  }

  /** tar -r appends; extracting, the later entry of a name wins, file or link. */
  @Test
  void aLaterEntryOfTheSameNameReplacesTheEarlierOne() throws Exception {
    Path tree = work.resolve("tree");
    Path licenses = Files.createDirectories(tree.resolve("python/licenses"));
    Files.writeString(tree.resolve("python/PYTHON.json"), "{}");
    Files.writeString(licenses.resolve("LICENSE.a.txt"), "a's text");
    Files.createSymbolicLink(licenses.resolve("LICENSE.x.txt"), Path.of("LICENSE.a.txt"));
    Files.writeString(licenses.resolve("LICENSE.y.txt"), "y's own text");
    Path tar = work.resolve("appended.tar");
    run(tree, "tar", "--format=gnu", "--sort=name", "-cf", tar.toString(), "python");
    Files.delete(licenses.resolve("LICENSE.x.txt"));
    Files.writeString(licenses.resolve("LICENSE.x.txt"), "x's own text");
    Files.delete(licenses.resolve("LICENSE.y.txt"));
    Files.createSymbolicLink(licenses.resolve("LICENSE.y.txt"), Path.of("LICENSE.a.txt"));
    run(tree, "tar", "--format=gnu", "-rf", tar.toString(), "python/licenses/LICENSE.x.txt");
    run(tree, "tar", "--format=gnu", "-rf", tar.toString(), "python/licenses/LICENSE.y.txt");
    run(work, "zstd", "-q", "--rm", tar.toString());

    FullArchive read = FullArchive.read(work.resolve("appended.tar.zst"), "known");

    assertThat(read.licenses().get("licenses/LICENSE.x.txt")).asString().isEqualTo("x's own text");
    assertThat(read.licenses().get("licenses/LICENSE.y.txt")).asString().isEqualTo("a's text");
  }

  @Test
  void aSparseLicenceIsRefusedNamingIt() throws Exception {
    Path licenses = Files.createDirectories(work.resolve("tree/python/licenses"));
    Files.writeString(work.resolve("tree/python/PYTHON.json"), "{}");
    try (FileChannel file =
        FileChannel.open(
            licenses.resolve("LICENSE.holes.txt"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE)) {
      file.write(ByteBuffer.wrap("end".getBytes()), 1 << 20);
    }
    Path archive = tarZst("sparse", "--sparse", "--format=pax");
    assertThatThrownBy(() -> FullArchive.read(archive, "known"))
        .isInstanceOf(LicenseException.class)
        .hasMessage(
            archive
                + ": python/licenses/LICENSE.holes.txt is stored as a sparse file, which is not"
                + " read here (python-build-standalone archives hold none). Use an unmodified"
                + " python-build-standalone full archive.");
  }

  @Test
  void aCorruptHeaderIsNamedByTheEntryBeforeIt() throws Exception {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      TarArchiveEntry filler = new TarArchiveEntry("python/install/lib/libx.so");
      filler.setSize(1000);
      out.putArchiveEntry(filler);
      out.write(new byte[1000]);
      out.closeArchiveEntry();
      TarArchiveEntry json = new TarArchiveEntry("python/PYTHON.json");
      json.setSize(2);
      out.putArchiveEntry(json);
      out.write("{}".getBytes());
      out.closeArchiveEntry();
    }
    byte[] bytes = tar.toByteArray();
    bytes[512 + 1024 + 100] ^= 1; // a mode byte of PYTHON.json's header
    Path archive = Files.write(work.resolve("corrupt.tar.zst"), Zstd.compress(bytes));
    assertThatThrownBy(() -> FullArchive.read(archive, "known"))
        .hasMessage(
            archive
                + " is truncated or corrupt (reading the header after entry"
                + " 'python/install/lib/libx.so': a tar header's checksum does not match (not a"
                + " tar stream, or corrupt)). Fetch it again.");
  }

  /**
   * A licence's name becomes a file of the shipped tree: a NUL (which escaped as
   * InvalidPathException before), a character Windows forbids or bytes that are not UTF-8 are
   * refused by name.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"LICENSE.a\u0000b.txt", "LICENSE.a:b.txt", "LICENSE.\u00ff.txt"})
  void aLicenceNameNoFileMayHaveIsRefusedByName(String name) throws Exception {
    // A long name goes into a pax path record (UTF-8, any character); a short one into the
    // header's name field, written here as ISO-8859-1 bytes (0xff is no UTF-8).
    String member =
        "python/licenses/" + (name.contains("\u00ff") ? "" : "d".repeat(100) + "/") + name;
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar, "ISO-8859-1")) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String entry : new String[] {"python/PYTHON.json", member}) {
        TarArchiveEntry e = new TarArchiveEntry(entry);
        e.setSize(2);
        out.putArchiveEntry(e);
        out.write("{}".getBytes());
        out.closeArchiveEntry();
      }
    }
    Path archive = Files.write(work.resolve("names.tar.zst"), Zstd.compress(tar.toByteArray()));
    String shown = member.replace("\u0000", "\\u0000").replace("\u00ff", "\ufffd");
    String what =
        name.contains("\u00ff")
            ? "bytes that are not UTF-8"
            : name.contains(":") ? "the character :" : "the character \\u0000";
    assertThatThrownBy(() -> FullArchive.read(archive, "known"))
        .isInstanceOf(LicenseException.class)
        .hasMessage(
            archive
                + ": archive member '"
                + shown
                + "' has "
                + what
                + " in its name, which no file name of the shipped tree may hold;"
                + " python-build-standalone writes none. Use the release's unmodified"
                + " *-full.tar.zst (fetch it again).");
  }

  /** pzstd begins its files with a skippable frame. */
  @Test
  void aLeadingSkippableFrameIsStillZstd() throws Exception {
    Files.createDirectories(work.resolve("tree/python"));
    Files.writeString(work.resolve("tree/python/PYTHON.json"), "{\"version\": \"8\"}");
    Path plain = tarZst("plain", "--format=pax");
    Path framed = work.resolve("framed.tar.zst");
    byte[] skippable = {0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 'h', 'i'};
    Files.write(framed, skippable);
    Files.write(framed, Files.readAllBytes(plain), StandardOpenOption.APPEND);
    assertThat(FullArchive.read(framed, "known").pythonJson())
        .asString()
        .isEqualTo("{\"version\": \"8\"}");
  }

  private Path tarZst(String name, String... options) throws Exception {
    Path tar = work.resolve(name + ".tar");
    String[] command = new String[options.length + 5];
    command[0] = "tar";
    System.arraycopy(options, 0, command, 1, options.length);
    command[options.length + 1] = "--sort=name";
    command[options.length + 2] = "-cf";
    command[options.length + 3] = tar.toString();
    command[options.length + 4] = "python";
    run(work.resolve("tree"), command);
    run(work, "zstd", "-q", "--rm", tar.toString());
    return work.resolve(name + ".tar.zst");
  }

  private String run(String... command) throws Exception {
    return run(work, command);
  }

  private static String run(Path dir, String... command) {
    return ExternalTool.run(dir, Map.of(), command).orFail().stdout();
  }
}
