package dev.pbstoolchain.packagers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.packagers.io.Compression;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import dev.pbstoolchain.packagers.rpm.RpmWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An rpm whose payload passes 4 GiB (two sparse 2.2 GB files, so it costs no disk): the sizes go in
 * rpm's 64-bit tags, and rpm's own tools read it back: header and payload digests, the total size,
 * the uncompressed payload's digest and its file list.
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
    Layout layout = ReleaseLayouts.linuxPackage(APP, binary, python, List.of(), List.of());
    Path rpm = dir.resolve("out/big-app-1.0.0-1.x86_64.rpm");

    RpmWriter.write(
        layout,
        info(),
        Compression.GZIP,
        ReleaseLayouts.rpmOwnedDirectories(APP, List.of(), List.of()),
        rpm);

    assertThat(Sh.run("rpm", "-Kv", rpm.toString()).ok().out())
        .contains("Header SHA256 digest: OK")
        .contains("Payload SHA256 digest: OK");
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
  void aSingleFileOfFourGibIsRefusedWithTheReason() throws Exception {
    Path python = dir.resolve("python");
    Path huge = Files.createDirectories(python.resolve("lib")).resolve("huge.bin");
    sparse(huge, 0xffffffffL);
    Path binary = Files.writeString(dir.resolve(APP), "#!/bin/sh\n");
    Path out = Files.createDirectories(dir.resolve("out"));

    assertThatThrownBy(
            () ->
                RpmWriter.write(
                    ReleaseLayouts.linuxPackage(APP, binary, python, List.of(), List.of()),
                    info(),
                    Compression.GZIP,
                    Set.of(),
                    out.resolve("a.rpm")))
        .isInstanceOf(PackagingException.class)
        .hasMessageContaining(huge + " is 4294967295 bytes")
        .hasMessageContaining("holds files below 4 GiB");
    try (var left = Files.list(out)) {
      assertThat(left).isEmpty();
    }
  }

  private static PackageInfo info() {
    return PackageInfo.of(
        APP,
        "1.0.0",
        "Big",
        "pbs <dev@pbstoolchain.dev>",
        "x86_64-unknown-linux-gnu",
        1_764_000_000L);
  }

  private static void sparse(Path file, long size) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
  }
}
