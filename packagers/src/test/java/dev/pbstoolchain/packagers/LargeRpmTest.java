package dev.pbstoolchain.packagers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import dev.pbstoolchain.testing.Sh;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rpms past 4 GiB, read back by rpm's own tools: a payload of two sparse 2.2 GB files (the totals
 * in the 64-bit tags, still plain cpio), and a single 4.4 GB file (rpm's large-file form, installed
 * into a scratch root: this one writes 4.4 GB there for the length of the test).
 */
class LargeRpmTest {

  private static final String APP = "big-app";
  private static final long FILE_SIZE = 2_200L * 1024 * 1024;

  @TempDir Path dir;

  @Test
  void aPayloadPastFourGibUsesTheLongSizesAndRpmReadsItBack() throws Exception {
    Path python = dir.resolve("python");
    Path lib = Files.createDirectories(python.resolve("lib"));
    sparse(lib.resolve("a.bin"), FILE_SIZE);
    sparse(lib.resolve("b.bin"), FILE_SIZE);
    Path binary = Files.writeString(dir.resolve(APP), "#!/bin/sh\necho big\n");

    Path rpm = writeWithGoodDigests(binary, python);

    long total = 2 * FILE_SIZE + Files.size(binary);
    String query = "%{LONGSIZE} %{PAYLOADDIGESTALT}\\n[%{REQUIRENAME}\\n]";
    List<String> lines =
        Sh.run("rpm", "-qp", "--qf", query, rpm.toString()).ok().out().lines().toList();
    String[] sizeAndDigest = lines.get(0).split(" ");
    assertThat(Long.parseLong(sizeAndDigest[0])).isEqualTo(total);
    // Files below 4 GiB keep a plain cpio payload: no LargeFiles format, which rpm2cpio refuses.
    assertThat(lines).noneMatch(l -> l.contains("LargeFiles"));

    // One pass of rpm2cpio (it reads about 160 MB/s here): the digest and, beside it, cpio's list.
    Path list = dir.resolve("cpio-list");
    String digest =
        Sh.run(
                "bash",
                "-c",
                "set -o pipefail; rpm2cpio \"$0\" | tee >(cpio -itv --quiet > \"$1\") | sha256sum;"
                    + " wait $!",
                rpm.toString(),
                list.toString())
            .ok()
            .out();
    assertThat(digest).as("the uncompressed payload's digest").startsWith(sizeAndDigest[1] + " ");
    assertThat(Files.readString(list))
        .containsPattern(" " + FILE_SIZE + " .* ./usr/lib/big-app/python/lib/a.bin\n")
        .containsPattern(" " + FILE_SIZE + " .* ./usr/lib/big-app/python/lib/b.bin\n");
  }

  @Test
  void aFileOfFourGibOrMoreUsesRpmsLargeFileFormAndInstalls() throws Exception {
    Path python = dir.resolve("python");
    Path huge = Files.createDirectories(python.resolve("lib")).resolve("huge.bin");
    long hugeSize = 4_200L * 1024 * 1024;
    sparse(huge, hugeSize);
    Files.writeString(python.resolve("lib/small.py"), "x = 1\n");
    Files.createDirectories(python.resolve("bin"));
    Files.createSymbolicLink(python.resolve("bin/link"), Path.of("../lib/small.py"));
    Path binary = Files.writeString(dir.resolve(APP), "#!/bin/sh\necho big\n");

    Path rpm = writeWithGoodDigests(binary, python);

    assertThat(Sh.run("rpm", "-qp", "--requires", rpm.toString()).ok().out())
        .contains("rpmlib(LargeFiles) <= 4.12.0-1");
    assertThat(
            Sh.run("rpm", "-qp", "--qf", "[%{LONGFILESIZES} %{FILENAMES}\n]", rpm.toString())
                .ok()
                .out())
        .contains(hugeSize + " /usr/lib/big-app/python/lib/huge.bin\n")
        .contains("15 /usr/lib/big-app/python/bin/link\n");
    // rpm itself unpacks the stripped payload, checking every file's SHA-256 on the way.
    Path root = dir.resolve("root");
    Sh.run("rpm", "--root", root.toString(), "--initdb").ok();
    Sh.run("rpm", "--root", root.toString(), "-i", "--nodeps", rpm.toString()).ok();
    assertThat(Sh.run("rpm", "--root", root.toString(), "-V", "--nodeps", APP).out()).isEmpty();
    Path installed = root.resolve("usr/lib/big-app/python");
    assertThat(Files.size(installed.resolve("lib/huge.bin"))).isEqualTo(hugeSize);
    assertThat(Files.readString(installed.resolve("bin/link"))).isEqualTo("x = 1\n");
    assertThat(Files.readSymbolicLink(installed.resolve("bin/link")))
        .isEqualTo(Path.of("../lib/small.py"));
  }

  /** Writes the package of {@code binary} and {@code python}; rpm -K must find it intact. */
  private Path writeWithGoodDigests(Path binary, Path python) throws Exception {
    Path rpm = dir.resolve("out/big-app-1.0.0-1.x86_64.rpm");
    Write.rpm(
        ReleaseLayouts.linuxPackage(APP, binary, python, ReleaseLayouts.LinuxExtras.NONE),
        info(),
        rpm);
    assertThat(Sh.run("rpm", "-Kv", rpm.toString()).ok().out())
        .contains("Header SHA256 digest: OK")
        .contains("Payload SHA256 digest: OK");
    return rpm;
  }

  private static PackageInfo info() {
    return PackageInfo.builder(APP, "1.0.0", "x86_64-unknown-linux-gnu", 1_764_000_000L)
        .summary("Big")
        .maintainer("pbs <dev@pbstoolchain.dev>")
        .build();
  }

  private static void sparse(Path file, long size) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
  }
}
