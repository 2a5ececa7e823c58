package dev.pbstoolchain.packagers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.packagers.format.Format;
import dev.pbstoolchain.packagers.format.Packager;
import dev.pbstoolchain.packagers.format.PackagingRequest;
import dev.pbstoolchain.packagers.layout.Layout;
import dev.pbstoolchain.packagers.layout.PackageInfo;
import dev.pbstoolchain.packagers.layout.ReleaseLayouts;
import dev.pbstoolchain.packagers.output.Compression;
import dev.pbstoolchain.testing.Sh;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes of every artifact of a tiny release, pinned: tar.gz, zip, and deb and rpm in each
 * payload compression, written from a tree this test creates (fixed contents, modes and time). A
 * change to any artifact's bytes fails here; when it is deliberate, replace {@code
 * src/test/resources/golden/SHA256SUMS} with the sums the failure prints, and say why in the
 * commit.
 */
class GoldenArtifactsTest {

  static final String APP = "tiny";
  static final long EPOCH = 1_700_000_000L;

  @TempDir Path dir;

  @Test
  void aTinyReleaseGivesTheCommittedSha256Sums() throws Exception {
    Path source = tree(dir.resolve("src"));
    Path out = dir.resolve("out");

    write(source, out);

    assertThat(sha256sums(out)).isEqualTo(golden());
  }

  /**
   * Every artifact of the tiny release: all four formats from one request with gzip payloads, the
   * deb and rpm with xz and with zstd, and a deb and rpm with configured links and an owned file.
   */
  private static void write(Path source, Path out) throws PackagingException {
    Path binary = source.resolve(APP);
    Layout python = Layout.tree(source.resolve("python"));
    Layout linux = ReleaseLayouts.linuxPackage(APP, binary, python, extras(source));
    for (Compression c : Compression.values()) {
      PackagingRequest.Builder request =
          PackagingRequest.builder(info())
              .compression(c)
              .rpmOwnedDirectories(ReleaseLayouts.rpmOwnedDirectories(APP, extras(source)))
              .artifact(Format.DEB, linux, out.resolve(APP + "-" + c.debSuffix() + ".deb"))
              .artifact(Format.RPM, linux, out.resolve(APP + "-" + c.debSuffix() + ".rpm"));
      if (c == Compression.GZIP) {
        request
            .artifact(
                Format.TAR_GZ,
                ReleaseLayouts.tarball(APP, "1.0.0", binary, python),
                out.resolve(APP + ".tar.gz"))
            .artifact(
                Format.ZIP,
                ReleaseLayouts.windowsZip(APP, binary, python),
                out.resolve(APP + ".zip"));
      }
      Packager.writeAll(request.build());
    }
    // Configured links and a file owned by the service user.
    ReleaseLayouts.LinuxExtras linked =
        new ReleaseLayouts.LinuxExtras(
            List.of(
                new ReleaseLayouts.Extra(
                    source.resolve("tiny.conf"), "/etc/tiny/tiny.conf", 0640, true, APP, APP)),
            List.of(stateDirectory()),
            List.of(
                new ReleaseLayouts.Symlink("/usr/sbin/tiny", "../bin/tiny"),
                new ReleaseLayouts.Symlink("/etc/tiny/state", "/var/lib/tiny")));
    Layout withLinks = ReleaseLayouts.linuxPackage(APP, binary, python, linked);
    Packager.writeAll(
        PackagingRequest.builder(info())
            .rpmOwnedDirectories(ReleaseLayouts.rpmOwnedDirectories(APP, linked))
            .artifact(Format.DEB, withLinks, out.resolve(APP + "-links.deb"))
            .artifact(Format.RPM, withLinks, out.resolve(APP + "-links.rpm"))
            .build());
  }

  static ReleaseLayouts.LinuxExtras extras(Path source) {
    return new ReleaseLayouts.LinuxExtras(files(source), List.of(stateDirectory()), List.of());
  }

  static List<ReleaseLayouts.Extra> files(Path source) {
    return List.of(
        new ReleaseLayouts.Extra(
            source.resolve("copyright"), "/usr/share/doc/" + APP + "/copyright", 0644, false),
        new ReleaseLayouts.Extra(
            source.resolve("tiny.service"), "/lib/systemd/system/tiny.service", 0644, false),
        new ReleaseLayouts.Extra(source.resolve("tiny.conf"), "/etc/tiny/tiny.conf", 0640, true));
  }

  static ReleaseLayouts.OwnedDirectory stateDirectory() {
    return new ReleaseLayouts.OwnedDirectory("/var/lib/tiny", APP, APP, 0750);
  }

  static PackageInfo info() {
    return PackageInfo.builder(APP, "1.0.0", "x86_64-unknown-linux-gnu", EPOCH)
        .summary("A tiny release")
        .maintainer("pbs <dev@pbstoolchain.dev>")
        .description("A tiny release.\nIts bytes are pinned.")
        .homepage("https://pbstoolchain.dev")
        .license("MIT")
        .vendor("pbs")
        .section("net")
        .group("Applications/Internet")
        .depends(List.of("libc6 (>= 2.17)"))
        .requires(List.of("libc.so.6()(64bit)"))
        .recommends(List.of("ca-certificates"))
        .conflicts(List.of("tiny-legacy"))
        .provides(List.of("tiny-host"))
        .scripts(
            Map.of(
                "preinst", "#!/bin/sh\necho preinst \"$@\"\n",
                "postinst", "#!/bin/sh\necho postinst \"$@\"\n"))
        .build();
  }

  /**
   * The tiny tree: an executable and an interpreter, a symlink, a module over two deflate blocks
   * (128 KiB each), an empty file, a DLL (copied beside the exe in the zip) and terminfo's
   * case-folded link (dropped from the zip), plus the deb/rpm extras.
   */
  static Path tree(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    files.put(APP, "#!/bin/sh\necho tiny\n");
    files.put("python/bin/python3.11", "#!/bin/sh\necho 3.11\n");
    files.put("python/lib/python3.11/os.py", module());
    files.put("python/lib/python3.11/empty.py", "");
    files.put("python/python311.dll", "MZ stand-in\n");
    files.put("python/share/terminfo/n/ncr260", "terminfo\n");
    files.put("copyright", "Files: *\nCopyright: 2026 pbs-toolchain\nLicense: MIT\n");
    files.put("tiny.service", "[Service]\nExecStart=/usr/bin/tiny\n");
    files.put("tiny.conf", "listen = 127.0.0.1:8080\n");
    for (var file : files.entrySet()) {
      Path path = root.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
      boolean executable = file.getKey().equals(APP) || file.getKey().contains("/bin/");
      Files.setPosixFilePermissions(
          path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    }
    Files.createSymbolicLink(root.resolve("python/bin/python3"), Path.of("python3.11"));
    Files.createDirectories(root.resolve("python/share/terminfo/N"));
    Files.createSymbolicLink(
        root.resolve("python/share/terminfo/N/NCR260"), Path.of("../n/ncr260"));
    return root;
  }

  /** About 300 KB of varied text from a fixed sequence: three deflate blocks. */
  private static String module() {
    StringBuilder text = new StringBuilder();
    long x = 1;
    for (int line = 0; text.length() < 300_000; line++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      text.append("value_").append(line).append(" = 0x").append(Long.toHexString(x >>> 40));
      text.append(line % 7 == 0 ? "  # checkpoint\n" : "\n");
    }
    return text.toString();
  }

  /** {@code sha256sum}'s own output for the files of a directory, sorted by name. */
  static String sha256sums(Path dir) {
    return Sh.run(dir, Map.of("LC_ALL", "C"), "sh", "-c", "sha256sum *").ok().out();
  }

  private static String golden() throws IOException {
    try (InputStream in = GoldenArtifactsTest.class.getResourceAsStream("/golden/SHA256SUMS")) {
      assertThat(in).as("src/test/resources/golden/SHA256SUMS").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
