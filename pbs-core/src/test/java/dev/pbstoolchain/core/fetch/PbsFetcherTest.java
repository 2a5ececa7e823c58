package dev.pbstoolchain.core.fetch;

import static dev.pbstoolchain.core.ServedRelease.ASSET;
import static dev.pbstoolchain.core.ServedRelease.ASSET_PATH;
import static dev.pbstoolchain.core.ServedRelease.DATE;
import static dev.pbstoolchain.core.ServedRelease.LINUX;
import static dev.pbstoolchain.core.ServedRelease.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pbstoolchain.core.Credentials;
import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.RecordingConsole;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.testing.LocalCPython;
import dev.pbstoolchain.testing.LoopbackServer;
import dev.pbstoolchain.testing.PbsRelease;
import dev.pbstoolchain.testing.TarEntries;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PbsFetcher} against a real loopback HTTP server serving a PBS-shaped release. */
class PbsFetcherTest {

  static final String ARM = "aarch64-unknown-linux-gnu";

  @TempDir static Path releaseRoot;
  static PbsRelease release;
  static LoopbackServer server;
  static String sha256;

  @TempDir Path work;
  final RecordingConsole console = new RecordingConsole();

  @BeforeAll
  static void publish() throws IOException {
    release = new PbsRelease(releaseRoot, DATE);
    Path asset = release.add(ASSET, LocalCPython.installOnly(false));
    release.add(
        "cpython-3.11.10+20241016-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz",
        LocalCPython.installOnly(false));
    release.writeSums();
    sha256 = PbsRelease.sha256(asset);
    server = LoopbackServer.serve(releaseRoot);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  ReleaseSettings.Builder request() {
    return ReleaseSettings.builder(FrontEnd.MAVEN, work)
        .date(DATE)
        .version(VERSION)
        .targets(List.of(LINUX))
        .mirror(server.baseUrl())
        .cacheDir(work.resolve("cache"))
        .outputDir(work.resolve("target/pbs"))
        .http(HttpSettings.builder().retries(3, Duration.ofMillis(10)).build());
  }

  List<FetchedArchive> fetch(ReleaseSettings.Builder builder) throws PbsException {
    return new PbsFetcher(console).fetch(Release.load(builder.build()).fetchRequest());
  }

  @Test
  void fetchesVerifiesCachesAndUnpacksWithLinksAndModes() throws Exception {
    FetchedArchive fetched = fetch(request()).get(0);

    Path home = work.resolve("target/pbs").resolve(LINUX).resolve("python").toAbsolutePath();
    assertThat(fetched.home()).contains(home);
    assertThat(fetched.sha256()).isEqualTo(sha256);
    assertThat(PbsRelease.sha256(fetched.archive())).isEqualTo(sha256);
    assertThat(fetched.archive()).startsWith(work.resolve("cache"));
    assertThat(home.resolve("lib/libpython3.11.so.1.0"))
        .hasSameBinaryContentAs(LocalCPython.LIBPYTHON);
    assertThat(Files.readSymbolicLink(home.resolve("lib/libpython3.11.so")))
        .isEqualTo(Path.of("libpython3.11.so.1.0"));
    assertThat(Files.readSymbolicLink(home.resolve("bin/python3")))
        .isEqualTo(Path.of("python3.11"));
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("bin/python3.11"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(Files.getLastModifiedTime(home.resolve("lib/python3.11/os.py")).toMillis())
        .isEqualTo(TarEntries.MTIME_SECONDS * 1000);
    // The unpacked interpreter really runs (through its symlink).
    Process python =
        new ProcessBuilder(home.resolve("bin/python3").toString(), "--version")
            .redirectErrorStream(true)
            .start();
    assertThat(new String(python.getInputStream().readAllBytes())).startsWith("Python 3.11.");
  }

  @Test
  void secondFetchUsesTheUnpackedTreeAndThirdTheCache() throws Exception {
    fetch(request());
    int downloads = server.requestCount(ASSET_PATH);
    fetch(request());
    assertThat(server.requestCount(ASSET_PATH)).isEqualTo(downloads);
    assertThat(console.infos).anyMatch(m -> m.contains("already unpacked"));

    Directories.deleteRecursively(work.resolve("target"));
    FetchedArchive again = fetch(request()).get(0);
    assertThat(server.requestCount(ASSET_PATH)).isEqualTo(downloads);
    assertThat(console.infos).anyMatch(m -> m.startsWith("Using cached "));
    assertThat(again.home().get().resolve("lib/libpython3.11.so.1.0")).exists();
  }

  @Test
  void notFoundNamesTheUrlAndSuggestsCheckingDateAndVersion() {
    assertThatThrownBy(() -> fetch(request().version("3.11.99")))
        .isInstanceOf(PbsException.class)
        .hasMessageContaining("3.11.99")
        .hasMessageContaining("is not listed in " + server.baseUrl() + "/20241016/SHA256SUMS")
        // what to set instead, from the release's own list
        .hasMessageContaining("For " + LINUX + " this release has CPython 3.11.10.");

    assertThatThrownBy(() -> fetch(request().version("3.11.99").pinnedSha256("a".repeat(64))))
        .hasMessageStartingWith(
            "Not found (HTTP 404): "
                + server.baseUrl()
                + "/20241016/cpython-3.11.99%2B20241016-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz\n"
                + "Check pbs.date=20241016 and pbs.version=3.11.99");
    assertThat(work.resolve("target/pbs").resolve(LINUX)).doesNotExist();
  }

  @Test
  void retriesServerErrorsThenSucceeds() throws Exception {
    server.failWith(ASSET_PATH, 503, 2);
    fetch(request());
    assertThat(work.resolve("target/pbs").resolve(LINUX).resolve("python/bin/python3.11")).exists();
  }

  @Test
  void givesUpAfterTheConfiguredAttemptsWithTheStatus() {
    server.failWith(ASSET_PATH, 500, 10);
    try {
      assertThatThrownBy(() -> fetch(request()))
          .isInstanceOf(PbsException.class)
          .hasMessageContaining("500")
          .hasMessageContaining(ASSET.replace("+", "%2B"));
    } finally {
      server.failWith(ASSET_PATH, 500, 0);
    }
    assertThat(work.resolve("cache"))
        .satisfiesAnyOf(
            dir -> assertThat(dir).doesNotExist(),
            dir -> assertThat(cachedArchives(dir)).isEmpty());
  }

  @Test
  void resumesAConnectionCutMidBody() throws Exception {
    long before = server.requestCount(ASSET_PATH);
    server.cutAfter(ASSET_PATH, 100_000, 2);
    FetchedArchive fetched = fetch(request()).get(0);
    assertThat(fetched.sha256()).isEqualTo(sha256);
    assertThat(server.requestCount(ASSET_PATH) - before).isEqualTo(3);
    assertThat(fetched.home().get().resolve("lib/libpython3.11.so.1.0"))
        .hasSameBinaryContentAs(LocalCPython.LIBPYTHON);
  }

  @Test
  void resumesAConnectionThatGoesSilent() throws Exception {
    // Silent for 30 s: resuming after the 700 ms stall timeout must not wait for it.
    server.stallAfter(ASSET_PATH, 50_000, 30_000, 1);
    long started = System.nanoTime();
    FetchedArchive fetched =
        fetch(
                request()
                    .http(
                        HttpSettings.builder()
                            .timeouts(Duration.ofSeconds(5), Duration.ofMillis(700))
                            .retries(3, Duration.ofMillis(10))
                            .resumes(3)
                            .build()))
            .get(0);
    assertThat(fetched.sha256()).isEqualTo(sha256);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    assertThat(console.warnings)
        .anyMatch(w -> w.contains("no data received for 700 ms (pbs.stallTimeout)"));
  }

  @Test
  void aCorruptCacheEntryIsDroppedAndTheNextRunHeals() throws Exception {
    FetchedArchive first = fetch(request()).get(0);
    Directories.deleteRecursively(work.resolve("target"));
    Files.write(first.archive(), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0});
    assertThatThrownBy(() -> fetch(request())).isInstanceOf(PbsException.class);
    assertThat(first.archive()).doesNotExist();
    assertThat(fetch(request()).get(0).home().get().resolve("bin/python3.11")).exists();
  }

  @Test
  void wrongChecksumFailsAndLeavesNothingCachedOrUnpacked() throws Exception {
    String wrong = "0".repeat(64);
    assertThatThrownBy(() -> fetch(request().pinnedSha256(wrong)))
        .isInstanceOf(PbsException.class)
        .hasMessageStartingWith(
            "SHA-256 mismatch for "
                + server.baseUrl()
                + "/20241016/"
                + ASSET.replace("+", "%2B")
                + "\n  expected: "
                + wrong
                + " (pinned by pbs.sha256)\n  actual:   "
                + sha256
                + " ("
                + Files.size(release.dir().resolve(ASSET))
                + " bytes received, Content-Type application/octet-stream)"
                + "\nThe file was discarded: nothing was cached or unpacked.");
    assertThat(cachedArchives(work.resolve("cache"))).isEmpty();
    assertThat(work.resolve("target/pbs").resolve(LINUX)).doesNotExist();
    assertThat(leftovers(work.resolve("target/pbs"))).isEmpty();
  }

  @Test
  void assetMissingFromSha256SumsIsRefused() throws Exception {
    PbsRelease other = new PbsRelease(work.resolve("mirror"), DATE);
    other.add(ASSET, LocalCPython.installOnly(false));
    other.addRaw("SHA256SUMS", ("a".repeat(64) + "  some-other-asset.tar.gz\n").getBytes());
    try (LoopbackServer mirror = LoopbackServer.serve(other.root())) {
      assertThatThrownBy(() -> fetch(request().mirror(mirror.baseUrl())))
          .isInstanceOf(PbsException.class)
          .hasMessage(
              ASSET
                  + " is not listed in "
                  + mirror.baseUrl()
                  + "/20241016/SHA256SUMS, so it cannot be verified. Check pbs.version=3.11.10"
                  + " and pbs.flavor=install_only_stripped against the release, or pin the"
                  + " expected hash with pbs.sha256 (single target).");
      assertThat(mirror.requestCount(ASSET_PATH)).isZero();
    }
  }

  @Test
  void fallsBackToThePerAssetSha256File() throws Exception {
    PbsRelease other = new PbsRelease(work.resolve("mirror"), DATE);
    other.add(ASSET, LocalCPython.installOnly(false));
    other.writeSha256File(ASSET);
    try (LoopbackServer mirror = LoopbackServer.serve(other.root())) {
      FetchedArchive fetched = fetch(request().mirror(mirror.baseUrl())).get(0);
      assertThat(fetched.sha256()).isEqualTo(PbsRelease.sha256(other.dir().resolve(ASSET)));
      assertThat(mirror.requestCount(ASSET_PATH + ".sha256")).isEqualTo(1);
    }
  }

  @Test
  void truncatedArchiveIsReportedAndNothingIsKept() throws Exception {
    PbsRelease other = new PbsRelease(work.resolve("mirror"), DATE);
    Path good = other.add(ASSET, LocalCPython.installOnly(false));
    byte[] head;
    try (var in = Files.newInputStream(good)) {
      head = in.readNBytes((int) (Files.size(good) / 2));
    }
    other.addRaw(ASSET, head);
    other.writeSums();
    try (LoopbackServer mirror = LoopbackServer.serve(other.root())) {
      assertThatThrownBy(() -> fetch(request().mirror(mirror.baseUrl())))
          .isInstanceOf(PbsException.class)
          .hasMessageStartingWith("Archive " + mirror.baseUrl())
          .hasMessageContaining("is truncated or corrupt (reading entry")
          // The list says this truncated file is the release's: fetching again cannot help.
          .hasMessageContaining(
              "Nothing was unpacked or cached. The file is exactly the one the release lists"
                  + " (from "
                  + mirror.baseUrl()
                  + "/20241016/SHA256SUMS), so fetching it again will not help");
    }
    assertThat(cachedArchives(work.resolve("cache"))).isEmpty();
    assertThat(work.resolve("target/pbs").resolve(LINUX)).doesNotExist();
    assertThat(leftovers(work.resolve("target/pbs"))).isEmpty();
  }

  @Test
  void hostileEntriesAreRefusedAndNothingIsLeftBehind() throws Exception {
    List<TarEntries> hostile =
        List.of(
            new TarEntries().text("python/ok.txt", "ok", 0644).text("python/../../evil", "x", 0644),
            new TarEntries().text("/etc/evil", "x", 0644),
            new TarEntries().symlink("python/lib/escape", "../../../../etc"),
            new TarEntries().symlink("python/abs", "/etc/passwd"),
            new TarEntries().hardlink("python/hard", "../../outside"),
            new TarEntries()
                .symlink("python/a", ".")
                .symlink("python/a/b", "../..")
                .text("python/a/b/evil", "x", 0644));
    List<String> reasons =
        List.of(
            "'..'",
            "absolute path",
            "outside",
            "absolute path",
            "'..'",
            "goes through the symbolic link 'python/a'");
    for (int i = 0; i < hostile.size(); i++) {
      PbsRelease other = new PbsRelease(work.resolve("mirror" + i), DATE);
      other.add(ASSET, hostile.get(i));
      other.writeSums();
      try (LoopbackServer mirror = LoopbackServer.serve(other.root())) {
        assertThatThrownBy(() -> fetch(request().mirror(mirror.baseUrl())))
            .isInstanceOf(PbsException.class)
            .hasMessageContaining(ASSET.replace("+", "%2B"))
            .hasMessageContaining(reasons.get(i));
      }
      assertThat(work.resolve("target/pbs").resolve(LINUX)).doesNotExist();
      assertThat(leftovers(work.resolve("target/pbs"))).isEmpty();
      assertThat(work.resolve("evil")).doesNotExist();
    }
  }

  @Test
  void concurrentFetchesOfOneAssetShareOneDownload() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      int before = server.requestCount(ASSET_PATH);
      List<Callable<FetchedArchive>> jobs =
          Stream.of(1, 2, 3, 4)
              .map(
                  i ->
                      (Callable<FetchedArchive>)
                          () ->
                              new PbsFetcher(PbsConsole.silent())
                                  .fetch(
                                      Release.load(
                                              request().outputDir(work.resolve("out" + i)).build())
                                          .fetchRequest())
                                  .get(0))
              .toList();
      for (Future<FetchedArchive> result : pool.invokeAll(jobs)) {
        assertThat(result.get().sha256()).isEqualTo(sha256);
        assertThat(result.get().home().get().resolve("lib/libpython3.11.so.1.0")).exists();
      }
      assertThat(server.requestCount(ASSET_PATH) - before).isEqualTo(1);
      assertThat(cachedArchives(work.resolve("cache"))).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void offlineUsesTheCacheAndNamesWhatIsMissing() throws Exception {
    fetch(request());
    Directories.deleteRecursively(work.resolve("target"));
    try (LoopbackServer dead = LoopbackServer.serve(work.resolve("nothing"))) {
      String deadMirror = dead.baseUrl();
      dead.close();
      // Offline must not touch the network, and the checksums kept are the release's, whatever
      // mirror served them: a dead mirror (another CI runner's) does not matter.
      FetchedArchive offline = fetch(request().offline(true).mirror(deadMirror)).get(0);
      assertThat(offline.home().get().resolve("bin/python3.11")).exists();

      assertThatThrownBy(() -> fetch(request().offline(true).targets(List.of(ARM))))
          .isInstanceOf(PbsException.class)
          .hasMessageStartingWith(
              "Offline (mvn -o or pbs.offline): "
                  + "cpython-3.11.10+20241016-aarch64-unknown-linux-gnu-install_only_stripped.tar.gz"
                  + " is not in the cache ");
      assertThatThrownBy(() -> fetch(request().offline(true).date("20241002")))
          .isInstanceOf(PbsException.class)
          .hasMessageContaining(
              "was not found in the cache " + work.resolve("cache") + " (offline)");
    }
  }

  @Test
  void anUnreachableServerNamesTheUrlAndTheWayToAMirror() throws Exception {
    String deadMirror;
    try (LoopbackServer dead = LoopbackServer.serve(work.resolve("nothing"))) {
      deadMirror = dead.baseUrl();
    }

    assertThatThrownBy(() -> fetch(request().mirror(deadMirror)))
        .isInstanceOf(PbsException.class)
        .hasMessageStartingWith("Cannot download " + deadMirror + "/20241016/SHA256SUMS: ")
        .hasMessageContaining("-Dpbs.mirror=file:///");
    assertThat(work.resolve("target/pbs")).doesNotExist();
  }

  @Test
  void goesThroughTheProxyAndSendsTheTokenForTheMirror() throws Exception {
    // The "proxy" answers absolute-form requests from the same release: the mirror's host name
    // does not resolve, so the fetch can only succeed through it.
    try (LoopbackServer proxy = LoopbackServer.serve(release.root())) {
      URI proxyUri = URI.create(proxy.baseUrl());
      FetchedArchive fetched =
          fetch(
                  request()
                      .mirror("http://pbs-mirror.invalid")
                      .http(
                          HttpSettings.builder()
                              .retries(1, Duration.ofMillis(10))
                              .credentials(Credentials.bearer("s3cret", "a test"))
                              .proxy(
                                  new ProxySettings(
                                      proxyUri.getHost(),
                                      proxyUri.getPort(),
                                      null,
                                      null,
                                      List.of()))
                              .build()))
              .get(0);

      assertThat(fetched.home().get().resolve("bin/python3.11")).exists();
      assertThat(proxy.lastTarget(ASSET_PATH)).startsWith("http://pbs-mirror.invalid/");
      assertThat(proxy.lastAuthorization(ASSET_PATH)).isEqualTo("Bearer s3cret");
    }
  }

  @Test
  void aFileMirrorIsLocalSoOfflineBuildsStillReadIt() throws Exception {
    int before = server.requestCount(ASSET_PATH);
    FetchedArchive fetched =
        fetch(request().offline(true).mirror(release.root().toUri().toString())).get(0);

    assertThat(fetched.home().get().resolve("bin/python3.11")).exists();
    assertThat(server.requestCount(ASSET_PATH)).isEqualTo(before);
  }

  @Test
  void aLocalMirrorInAPathWithASpaceIsReadAsMavenWritesIt() throws Exception {
    // file://${project.basedir}/... in a project whose path has a space, and the bare directory.
    Path spaced = java.nio.file.Files.createSymbolicLink(work.resolve("ci runner"), release.root());
    int before = server.requestCount(ASSET_PATH);

    FetchedArchive fromUrl = fetch(request().mirror("file://" + spaced)).get(0);
    FetchedArchive fromPath =
        fetch(request().mirror(spaced.toString()).outputDir(work.resolve("again"))).get(0);

    assertThat(fromUrl.resolved().uri().toString())
        .startsWith("file://" + work.toUri().getPath() + "ci%20runner/");
    assertThat(fromUrl.home().get().resolve("bin/python3.11")).exists();
    assertThat(fromPath.home().get().resolve("bin/python3.11")).exists();
    assertThat(server.requestCount(ASSET_PATH)).isEqualTo(before);
  }

  @Test
  void fetchesSeveralTargetsInOneCall() throws Exception {
    List<FetchedArchive> fetched = fetch(request().targets(List.of(LINUX, ARM)));
    assertThat(fetched).extracting(f -> f.resolved().asset().triple()).containsExactly(LINUX, ARM);
    assertThat(work.resolve("target/pbs").resolve(ARM).resolve("python/lib/libpython3.11.so"))
        .isSymbolicLink();
  }

  @Test
  void turningVerificationOffIsLoudAndNotCached() throws Exception {
    FetchedArchive fetched = fetch(request().verifyChecksums(false)).get(0);
    assertThat(console.warnings).anyMatch(w -> w.contains("SHA-256 VERIFICATION IS OFF"));
    assertThat(cachedArchives(work.resolve("cache"))).isEmpty();
    assertThat(fetched.home().get().resolve("bin/python3.11")).exists();
  }

  @Test
  void badRequestsAreConfigurationErrorsListingTheValidValues() {
    assertThatThrownBy(() -> fetch(request().targets(List.of("x86_64-linux"))))
        .isInstanceOfSatisfying(
            PbsException.class, e -> assertThat(e.isConfigurationProblem()).isTrue())
        .hasMessageStartingWith(
            "Unknown target triple 'x86_64-linux' (pbs.targets). python-build-standalone"
                + " publishes: ")
        .hasMessageContaining("x86_64-unknown-linux-gnu, ");
    // Asked for by name (left unset, that release's default is install_only).
    assertThatThrownBy(() -> fetch(request().date("20240415").flavor("install_only_stripped")))
        .hasMessageStartingWith(
            "Flavour 'install_only_stripped' (pbs.flavor) is not published by release 20240415"
                + " for x86_64-unknown-linux-gnu. Valid flavours: install_only, ")
        .hasMessageContaining("pgo+lto-full");
    assertThatThrownBy(() -> fetch(request().targets(List.of(LINUX, ARM)).pinnedSha256(sha256)))
        .hasMessageStartingWith("pbs.sha256 pins the hash of one archive, but 2 targets");
  }

  static List<Path> cachedArchives(Path cache) throws IOException {
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cache)) {
      return files.filter(f -> f.getFileName().toString().contains("cpython-")).toList();
    }
  }

  static List<Path> leftovers(Path output) throws IOException {
    if (!Files.isDirectory(output)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(output)) {
      // Lock files stay (removing one would let two builds hold "the" lock); temps must not.
      return files
          .filter(f -> f.getFileName().toString().startsWith("."))
          .filter(f -> !f.getFileName().toString().endsWith(".lock"))
          .toList();
    }
  }
}
