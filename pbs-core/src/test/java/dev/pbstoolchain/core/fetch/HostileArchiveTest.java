package dev.pbstoolchain.core.fetch;

import static dev.pbstoolchain.core.ServedRelease.ASSET;
import static dev.pbstoolchain.core.ServedRelease.DATE;
import static dev.pbstoolchain.core.ServedRelease.LINUX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.RecordingConsole;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.testing.Bombs;
import dev.pbstoolchain.testing.LocalCPython;
import dev.pbstoolchain.testing.LoopbackServer;
import dev.pbstoolchain.testing.PbsRelease;
import dev.pbstoolchain.testing.Sh;
import dev.pbstoolchain.testing.TarEntries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives a hostile or broken mirror could serve, each listed in the mirror's own SHA256SUMS (so
 * the hash matches and only the unpacker stands between the archive and the build), or not (so the
 * hash decides). Each is refused by name, early, with nothing left behind; where the file is the
 * one the list names, the message says fetching it again cannot help.
 */
class HostileArchiveTest {

  @TempDir Path work;
  LoopbackServer server;
  PbsRelease release;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Publishes {@code entries} as the asset, listed in SHA256SUMS, and serves it. */
  String publish(TarEntries entries) throws IOException {
    release = new PbsRelease(work.resolve("mirror"), DATE);
    release.add(ASSET, entries);
    return serve();
  }

  /** Lists the asset in SHA256SUMS and serves the release; returns the asset's URL. */
  String serve() throws IOException {
    release.writeSums();
    return serveAsItIs();
  }

  /** Serves the release as it is on disk (changed after its sums were written, say). */
  String serveAsItIs() throws IOException {
    server = LoopbackServer.serve(release.root());
    return server.baseUrl() + "/" + DATE + "/" + ASSET.replace("+", "%2B");
  }

  ReleaseSettings.Builder request() {
    return ReleaseSettings.builder(FrontEnd.MAVEN, work)
        .date(DATE)
        .version("3.11.10")
        .targets(List.of(LINUX))
        .mirror(server.baseUrl())
        .cacheDir(work.resolve("cache"))
        .outputDir(work.resolve("target/pbs"))
        .http(HttpSettings.builder().retries(1, Duration.ofMillis(10)).build());
  }

  String refused(ReleaseSettings.Builder builder) throws IOException {
    PbsException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            PbsException.class,
            () ->
                new PbsFetcher(new RecordingConsole())
                    .fetch(Release.load(builder.build()).fetchRequest()));
    assertThat(work.resolve("target/pbs").resolve(LINUX)).doesNotExist();
    assertNothingLeft();
    return e.getMessage();
  }

  /** Nothing cached, no temp file or directory: only the lock files remain. */
  void assertNothingLeft() throws IOException {
    for (Path dir : List.of(work.resolve("cache"), work.resolve("target"))) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          assertThat(
                  files
                      .filter(Files::isRegularFile)
                      .filter(f -> !f.toString().endsWith(".lock"))
                      .filter(f -> !f.getParent().getFileName().toString().equals("sums")))
              .isEmpty();
        }
      }
    }
  }

  /** What every message about an archive the release's list names ends with. */
  String listed() {
    return " Nothing was unpacked or cached. The file is exactly the one the release lists (from "
        + server.baseUrl()
        + "/20241016/SHA256SUMS), so fetching it again will not help: report it to the mirror's"
        + " owner, or choose another release (pbs.date).";
  }

  @Test
  void aLinkChainThroughDotThatLexicallyStaysInsideIsRefusedAsGnuTarWouldLetItOut()
      throws Exception {
    TarEntries hostile =
        LocalCPython.installOnly(false)
            .symlink("python/l", ".")
            .symlink("python/lib/libpython3.11.so", "../l/l/../../../etc/passwd");
    // GNU tar is the judge that the archive is an escape: its link leads out of the tree.
    Path archive = work.resolve("hostile.tar.gz");
    hostile.write(archive);
    Path gnu = Files.createDirectories(work.resolve("gnu/dest"));
    // What the link would read: a file outside the destination.
    Files.createDirectories(work.resolve("etc"));
    Files.writeString(work.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    run("tar", "-xzf", archive.toString(), "-C", gnu.toString());
    Path real = gnu.resolve("python/lib/libpython3.11.so").toRealPath().normalize();
    assertThat(real).isEqualTo(work.resolve("etc/passwd").toAbsolutePath().normalize());

    String url = publish(hostile);
    assertThat(refused(request()))
        .isEqualTo(
            "Refusing to unpack "
                + url
                + ": entry 'python/lib/libpython3.11.so' is a symbolic link to"
                + " '../l/l/../../../etc/passwd', which climbs out of the destination through"
                + " python/l -> '.'. A genuine python-build-standalone archive never does this."
                + listed());
  }

  @Test
  void chainsThroughEarlierAndLaterLinksAndLoopsAreRefused() throws Exception {
    Map<TarEntries, String> cases = new LinkedHashMap<>();
    // Each link alone stays inside; followed one after the other they climb out.
    cases.put(
        LocalCPython.installOnly(false).symlink("python/up", "..").symlink("python/up2", "up/.."),
        "entry 'python/up2' is a symbolic link to 'up/..', which climbs out of the destination"
            + " through python/up -> '..'");
    // 'python/a' was fine when made; 'python/b' (sorted after it) changes where it leads.
    cases.put(
        LocalCPython.installOnly(false).symlink("python/a", "b/../..").symlink("python/b", "."),
        "entry 'python/a' is a symbolic link to 'b/../..', which climbs out of the destination"
            + " through python/b -> '.'");
    cases.put(
        LocalCPython.installOnly(false).symlink("python/x", "y").symlink("python/y", "x"),
        "entry 'python/x' is a symbolic link to 'y', which is part of a loop of symbolic links"
            + " through python/y -> 'x', python/x -> 'y'");
    // Writing through a link, directly or by a hard link's source.
    cases.put(
        LocalCPython.installOnly(false)
            .symlink("python/lib2", "lib")
            .text("python/lib2/evil.py", "x", 0644),
        "entry 'python/lib2/evil.py' goes through the symbolic link 'python/lib2'");
    cases.put(
        LocalCPython.installOnly(false)
            .symlink("python/lib2", "lib")
            .hardlink("python/z", "python/lib2/python3.11/os.py"),
        "entry 'python/z' is a hard link to 'python/lib2/python3.11/os.py', which is not a file"
            + " unpacked before it");
    for (Map.Entry<TarEntries, String> c : cases.entrySet()) {
      String url = publish(c.getKey());
      assertThat(refused(request())).as(c.getValue()).contains(c.getValue());
      server.close();
      Directories.deleteRecursively(work.resolve("mirror"));
    }
  }

  @Test
  void entriesNoFileSystemTakesAreArchiveErrorsNamedByEntryNotIoFailures() throws Exception {
    Map<TarEntries, String> cases = new LinkedHashMap<>();
    cases.put(
        LocalCPython.installOnly(false).text("python/a", "a", 0644).text("python/a/b", "b", 0644),
        "Cannot unpack URL: entry 'python/a/b' lies under 'python/a', which the archive made a"
            + " file.");
    cases.put(
        LocalCPython.installOnly(false).text("python/" + "n".repeat(300), "x", 0644),
        "Refusing to unpack URL: entry 'python/"
            + "n".repeat(113)
            + "...' has a name part longer than 255 bytes.");
    cases.put(
        LocalCPython.installOnly(false).text("python/bad\nname", "x", 0644),
        "Refusing to unpack URL: entry 'python/bad\\x0aname' has a control character (\\x0a) in"
            + " its name.");
    for (Map.Entry<TarEntries, String> c : cases.entrySet()) {
      String url = publish(c.getKey());
      assertThat(refused(request()))
          .isEqualTo(
              c.getValue().replace("URL", url)
                  + (c.getValue().startsWith("Refusing")
                      ? " A genuine python-build-standalone archive never does this."
                      : "")
                  + listed());
      server.close();
      Directories.deleteRecursively(work.resolve("mirror"));
    }
  }

  @Test
  void aGzipBombListedInSha256SumsIsStoppedAtTheEntryThatCrossesTheLimit() throws Exception {
    release = new PbsRelease(work.resolve("mirror"), DATE);
    Map<String, Long> zeros = new LinkedHashMap<>();
    zeros.put("python/a", 1400L << 20);
    zeros.put("python/b", 1400L << 20);
    zeros.put("python/c", 1400L << 20);
    Files.createDirectories(release.dir());
    long expands = Bombs.zeros(release.dir().resolve(ASSET), zeros);
    assertThat(expands).isGreaterThan(4_000_000_000L);
    assertThat(Files.size(release.dir().resolve(ASSET))).isLessThan(5_000_000L);
    String url = serve();
    long started = System.nanoTime();
    String message = refused(request());
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    assertThat(message)
        .isEqualTo(
            "Refusing to unpack "
                + url
                + ": entry 'python/a' (1.4 GB) takes its files past 1.0 GB (pbs.maxUnpackedSize)."
                + " No python-build-standalone archive comes near that; if this one really is"
                + " that large, raise the limit."
                + listed());
    // Refused at the header: inflating 4 GB alone would take longer than this.
    assertThat(seconds).isLessThan(30);
  }

  @Test
  void aGzipBombInPlaceOfTheListedArchiveIsAChecksumMismatch() throws Exception {
    release = new PbsRelease(work.resolve("mirror"), DATE);
    release.add(ASSET, LocalCPython.installOnly(false));
    release.writeSums();
    Bombs.zeros(release.dir().resolve(ASSET), Map.of("python/zeros", 1500L << 20));
    String url = serveAsItIs();
    assertThat(refused(request()))
        .startsWith("SHA-256 mismatch for " + url + "\n  expected: ")
        .contains(
            "\nUnpacking had stopped on the way: Refusing to unpack "
                + url
                + ": entry 'python/zeros' (1.5 GB) takes its files past 1.0 GB");
  }

  @Test
  void entryAndSizeLimitsApplyAsConfigured() throws Exception {
    TarEntries many = LocalCPython.installOnly(false);
    for (int i = 0; i < 200; i++) {
      many.text("python/lib/python3.11/m" + i + ".py", "", 0644);
    }
    String url = publish(many);
    assertThat(refused(request().maxUnpackedEntries("100")))
        .isEqualTo(
            "Refusing to unpack "
                + url
                + ": it has more than 100 entries (pbs.maxUnpackedEntries). No"
                + " python-build-standalone archive comes near that; if this one really is that"
                + " large, raise the limit."
                + listed());
    // Under the limit as a download (5 MB), over it unpacked (16 MB): stopped at that entry.
    assertThat(refused(request().maxUnpackedSize("10m")))
        .startsWith(
            "Refusing to unpack "
                + url
                + ": entry 'python/lib/libpython3.11.so.1.0' (7.4 MB) takes its files past 10.0 MB"
                + " (pbs.maxUnpackedSize).");
    // Larger than the limit as a download: refused before a byte is read.
    assertThat(refused(request().maxUnpackedSize("1m")))
        .isEqualTo(
            url
                + " is "
                + PbsFetcher.megabytes(Files.size(release.dir().resolve(ASSET)))
                + ", more than 1.0 MB (pbs.maxUnpackedSize), which no python-build-standalone"
                + " archive comes near. Check the mirror (pbs.mirror), or raise the limit if this"
                + " archive really is that large.");
    assertThat(UnpackLimits.defaults()).isEqualTo(new UnpackLimits(1L << 30, 100_000));
    assertThat(UnpackLimits.parse("2g", "5")).isEqualTo(new UnpackLimits(2L << 30, 5));
  }

  @Test
  void aLongNameHeaderCannotFillTheHeap() throws Exception {
    release = new PbsRelease(work.resolve("mirror"), DATE);
    Files.createDirectories(release.dir());
    Bombs.longName(release.dir().resolve(ASSET), 3 << 20);
    String url = serve();
    assertThat(refused(request()))
        .isEqualTo(
            "Refusing to unpack "
                + url
                + ": the first entry has more than 1 MB of headers (pax records or a long name),"
                + " which no Python distribution has. A genuine python-build-standalone archive"
                + " never does this."
                + listed());
  }

  @Test
  void sparseFilesAreRefused() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree/python/lib"));
    run("truncate", "-s", "10M", tree.resolve("libpython3.11.so.1.0").toString());
    release = new PbsRelease(work.resolve("mirror"), DATE);
    Files.createDirectories(release.dir());
    run(
        "tar",
        "--sparse",
        "-czf",
        release.dir().resolve(ASSET).toString(),
        "-C",
        work.resolve("tree").toString(),
        "python");
    String url = serve();
    assertThat(refused(request()))
        .contains(
            ": entry 'python/lib/libpython3.11.so.1.0' is a sparse file, which no Python"
                + " distribution has.");
  }

  @Test
  void aTreeWithoutPythonOrItsLibpythonIsAnErrorNotAHome() throws Exception {
    String url = publish(new TarEntries().text("other/readme", "hello", 0644));
    assertThat(refused(request()))
        .isEqualTo(
            url
                + " is not a Python for x86_64-unknown-linux-gnu: it unpacks to no python/"
                + " directory."
                + listed());
    server.close();
    url = publish(new TarEntries().text("python/bin/python3", "#!/bin/sh\n", 0755));
    assertThat(refused(request()))
        .isEqualTo(
            url
                + " is not a Python for x86_64-unknown-linux-gnu: it unpacks to no"
                + " python/lib/libpython3*.so*, which a x86_64-unknown-linux-gnu Python has."
                + listed());
  }

  @Test
  void aCorruptedByteIsAMismatchAndNotARerunWhenTheListNamesTheCorruptFile() throws Exception {
    release = new PbsRelease(work.resolve("mirror"), DATE);
    Path asset = release.add(ASSET, LocalCPython.installOnly(false));
    release.writeSums();
    byte[] bytes = Files.readAllBytes(asset);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(asset, bytes);
    String url = serveAsItIs();
    assertThat(refused(request()))
        .startsWith("SHA-256 mismatch for " + url + "\n")
        .contains(
            "\nThe file was discarded: nothing was cached or unpacked. If the download was"
                + " damaged on the way, run the build again;");
    server.close();

    // The mirror's list names the damaged file: the hash matches, and re-running cannot help.
    url = serve();
    assertThat(refused(request()))
        .startsWith("Archive " + url + " is truncated or corrupt")
        .endsWith(listed());
  }

  private static String run(String... command) {
    return Sh.run(command).ok().out();
  }
}
