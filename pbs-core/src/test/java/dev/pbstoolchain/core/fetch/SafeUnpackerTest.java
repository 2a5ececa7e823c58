package dev.pbstoolchain.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.testing.Sh;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SafeUnpacker} against GNU tar extracting the same archive. */
class SafeUnpackerTest {

  @TempDir Path work;

  @Test
  void unpacksLikeGnuTarWithModesTimesLinksLargeFilesAndReplacedEntries() throws Exception {
    byte[] large = new byte[3 * UnpackedFileWriter.LARGEST_QUEUED_FILE + 17];
    new Random(7).nextBytes(large);
    ByteArrayOutputStream archive = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(archive)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      long second = 1_600_000_000L;
      // Group-writable and read-only modes: the first is cut by a usual umask of 022 at creation
      // and must be restored, the second must not stop the content being written.
      file(tar, "python/bin/python3.11", "#!/bin/sh\necho hi\n".getBytes(), 0775, second++);
      file(tar, "python/lib/libpython3.11.so.1.0", large, 0755, second++);
      for (int i = 0; i < 300; i++) {
        file(tar, "python/lib/python3.11/m" + i + ".py", ("x = " + i).getBytes(), 0644, second++);
      }
      file(tar, "python/lib/python3.11/readonly.txt", "ro".getBytes(), 0444, second++);
      link(tar, "python/bin/python3", TarConstants.LF_SYMLINK, "python3.11", second++);
      link(
          tar,
          "python/lib/python3.11/m0-again.py",
          TarConstants.LF_LINK,
          "python/lib/python3.11/m0.py",
          second++);
      // A later entry replaces an earlier one, as with tar; queued writes must not race it.
      file(tar, "python/lib/python3.11/m5.py", "replaced".getBytes(), 0600, second++);
      file(tar, "python/lib/python3.11/m5.py", "replaced again".getBytes(), 0640, second);
    }
    Path ours = Files.createDirectories(work.resolve("ours"));
    Path gnu = Files.createDirectories(work.resolve("gnu"));
    Path tarFile = work.resolve("a.tar");
    Files.write(tarFile, archive.toByteArray());

    new SafeUnpacker(UnpackLimits.defaults()).unpack(Files.newInputStream(tarFile), ours, "a.tar");
    run(List.of("tar", "-xpf", tarFile.toString(), "-C", gnu.toString()));

    String listing = listing(ours);
    assertThat(listing).isEqualTo(listing(gnu));
    assertThat(listing)
        .contains("python/bin/python3.11 775 1600000000 f")
        .contains("python/lib/python3.11/readonly.txt 444 ")
        .contains("python/lib/python3.11/m5.py 640 ")
        .contains("python/bin/python3 777 ");
    assertThat(Files.readString(ours.resolve("python/lib/python3.11/m5.py")))
        .isEqualTo("replaced again");
    assertThat(Files.readAllBytes(ours.resolve("python/lib/libpython3.11.so.1.0")))
        .isEqualTo(large);
    assertThat(
            Files.isSameFile(
                ours.resolve("python/lib/python3.11/m0.py"),
                ours.resolve("python/lib/python3.11/m0-again.py")))
        .isTrue();
  }

  @Test
  void namesThatCouldLeaveTheDestinationAreRefusedAndOthersAreNot() throws Exception {
    Path root = work.toAbsolutePath();
    for (String bad :
        List.of(
            "../x",
            "a/../../x",
            "a/..",
            "..\\x",
            "a\\..\\x",
            "/etc/x",
            "\\x",
            "C:/x",
            "c:x",
            "./")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> SafeUnpacker.checkedPath(root, bad, "a.tar"))
          .as(bad)
          .isInstanceOf(UnpackException.class)
          .hasMessageStartingWith("Refusing to unpack a.tar: entry '" + bad + "'");
    }
    assertThat(SafeUnpacker.checkedPath(root, "./python/..lib/x..", "a.tar"))
        .isEqualTo(root.resolve("python/..lib/x.."));
    assertThat(SafeUnpacker.checkedPath(root, "python/a:b", "a.tar"))
        .isEqualTo(root.resolve("python/a:b"));
  }

  @Test
  void aNonAsciiNameIsUnpackedUnderAUtf8LocaleAndExplainedUnderAnAsciiOne() throws Exception {
    Path tarFile = work.resolve("accented.tar");
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(Files.newOutputStream(tarFile), "UTF-8")) {
      file(tar, "python/lib/caf\u00e9.py", "x = 1\n".getBytes(StandardCharsets.UTF_8), 0644, 1);
    }
    Path utf8 = Files.createDirectories(work.resolve("utf8"));
    assertThat(unpackInOwnJvm(tarFile, utf8, "C.UTF-8")).isEmpty();
    // The name checked by the shell, in bytes: this JVM's own locale must not matter.
    run(
        List.of(
            "sh", "-c", "test -f \"$0/python/lib/caf$(printf '\\303\\251').py\"", utf8.toString()));

    // LANG unset, as in many CI containers: Java encodes file names as ASCII there.
    Path ascii = Files.createDirectories(work.resolve("ascii"));
    assertThat(unpackInOwnJvm(tarFile, ascii, "C"))
        .startsWith("Cannot unpack " + tarFile + ": entry 'python/lib/caf")
        .contains("as it encodes file names as ANSI_X3.4-1968")
        .contains("Run the build under a UTF-8 locale, e.g. LC_ALL=C.UTF-8.");
  }

  /** The failure message of {@link Unpack} run under {@code LC_ALL=locale}, empty on success. */
  private static String unpackInOwnJvm(Path tarFile, Path dest, String locale) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Unpack.class.getName(),
                tarFile.toString(),
                dest.toString())
            .redirectErrorStream(true);
    builder.environment().remove("LANG");
    builder.environment().put("LC_ALL", locale);
    Process process = builder.start();
    String out;
    try (InputStream in = process.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out.strip();
  }

  /** {@code TAR DEST}: unpacks in a JVM of its own, printing the failure message if any. */
  public static final class Unpack {
    public static void main(String[] args) throws Exception {
      try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
        new SafeUnpacker(UnpackLimits.defaults()).unpack(in, Path.of(args[1]), args[0]);
      } catch (UnpackException e) {
        System.out.println(e.getMessage());
      }
    }
  }

  private static void file(
      TarArchiveOutputStream tar, String name, byte[] content, int mode, long second)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(0100000 | mode);
    entry.setSize(content.length);
    entry.setModTime(second * 1000);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static void link(
      TarArchiveOutputStream tar, String name, byte type, String target, long second)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, type);
    entry.setLinkName(target);
    entry.setMode(type == TarConstants.LF_SYMLINK ? 0120777 : 0100644);
    entry.setModTime(second * 1000);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  /** Path, mode, mtime and type of every file, as find prints them: GNU tar is the judge. */
  private static String listing(Path root) throws Exception {
    return run(
            List.of(
                "find",
                ".",
                "-mindepth",
                "1",
                "-not",
                "-type",
                "d",
                "-printf",
                "%P %m %T@ %y %s\n"),
            root)
        .lines()
        .sorted()
        .map(line -> line.replaceAll("(\\d+)\\.0+ ", "$1 "))
        .reduce("", (a, b) -> a + b + "\n");
  }

  private static String run(List<String> command) throws Exception {
    return run(command, Path.of("."));
  }

  private static String run(List<String> command, Path dir) {
    return Sh.run(dir, Map.of(), command.toArray(String[]::new)).ok().out();
  }
}
