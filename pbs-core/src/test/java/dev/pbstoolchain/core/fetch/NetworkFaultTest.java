package dev.pbstoolchain.core.fetch;

import static dev.pbstoolchain.core.ServedRelease.ASSET;
import static dev.pbstoolchain.core.ServedRelease.ASSET_PATH;
import static dev.pbstoolchain.core.ServedRelease.DATE;
import static dev.pbstoolchain.core.ServedRelease.LINUX;
import static dev.pbstoolchain.core.ServedRelease.SUMS_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pbstoolchain.core.Credentials;
import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.RecordingConsole;
import dev.pbstoolchain.core.io.LockFile;
import dev.pbstoolchain.core.release.Release;
import dev.pbstoolchain.core.release.ReleaseSettings;
import dev.pbstoolchain.testing.Fault;
import dev.pbstoolchain.testing.LocalCPython;
import dev.pbstoolchain.testing.LoopbackServer;
import dev.pbstoolchain.testing.PbsRelease;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every network fault of issue #25 against a real loopback server that injects it: each ends in
 * bounded time with a message naming the URL, the cause and a fix, and leaves no temp file (a
 * download the next build can resume is kept, under the name that says what it must hash to).
 */
class NetworkFaultTest {

  static final String HTML =
      "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Sign in</body></html>\n";

  @TempDir static Path releaseRoot;
  static PbsRelease release;
  static String sha256;
  static long size;

  @TempDir Path work;
  LoopbackServer server;
  final RecordingConsole console = new RecordingConsole();

  @BeforeAll
  static void publish() throws IOException {
    release = new PbsRelease(releaseRoot, DATE);
    Path asset = release.add(ASSET, LocalCPython.installOnly(false));
    release.writeSums();
    sha256 = PbsRelease.sha256(asset);
    size = Files.size(asset);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  LoopbackServer serve() throws IOException {
    server = LoopbackServer.serve(releaseRoot);
    return server;
  }

  String url(String path) {
    return server.baseUrl() + path.replace("+", "%2B");
  }

  HttpSettings quick() {
    return HttpSettings.builder()
        .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(1))
        .retries(3, Duration.ofMillis(10))
        .lowSpeed(10 * 1024, Duration.ofSeconds(3))
        .build();
  }

  ReleaseSettings.Builder request() {
    return ReleaseSettings.builder(FrontEnd.MAVEN, work)
        .date(DATE)
        .version("3.11.10")
        .targets(List.of(LINUX))
        .mirror(server == null ? "http://127.0.0.1:9" : server.baseUrl())
        .cacheDir(work.resolve("cache"))
        .outputDir(work.resolve("target/pbs"))
        .http(quick());
  }

  List<FetchedArchive> fetch(ReleaseSettings.Builder builder) throws PbsException {
    return new PbsFetcher(console).fetch(Release.load(builder.build()).fetchRequest());
  }

  /** Runs a fetch that must fail; returns its message and checks how long it took. */
  String failure(ReleaseSettings.Builder builder, Duration atMost) {
    long started = System.nanoTime();
    PbsException e =
        org.junit.jupiter.api.Assertions.assertThrows(PbsException.class, () -> fetch(builder));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(atMost);
    return e.getMessage();
  }

  Path part() {
    return work.resolve("cache/." + sha256.substring(0, 16) + "-" + ASSET + ".part");
  }

  /** Hidden files and directories a build may have left: none but locks (and a resumable part). */
  List<String> leftovers(boolean partAllowed) throws IOException {
    try (Stream<Path> files = Files.walk(work)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("."))
          .filter(p -> !p.getFileName().toString().endsWith(".lock"))
          .filter(p -> !p.getFileName().toString().equals(".locks"))
          .filter(p -> !p.getFileName().toString().equals(UnpackedTree.MARKER))
          .filter(p -> !(partAllowed && p.equals(part())))
          .map(p -> work.relativize(p).toString())
          .toList();
    }
  }

  /** Forgets what earlier fetches of a test cached and unpacked. */
  void clean() throws IOException {
    Directories.deleteRecursively(work.resolve("cache"));
    Directories.deleteRecursively(work.resolve("target"));
  }

  @Test
  void aDripFailsAtTheLowSpeedLimitAndTheNextBuildResumesWhereItStopped() throws Exception {
    serve().inject(ASSET_PATH, new Fault.Drip(1024), 1);
    String message = failure(request(), Duration.ofSeconds(20));
    assertThat(message)
        .matches(
            "\\QCannot download "
                + url(ASSET_PATH)
                + ": the download is too slow: \\E[01]\\.[0-9]\\Q KB/s over the last 3 s, below the"
                + " limit of 10.0 KB/s (pbs.lowSpeedLimit=10240 bytes/s for pbs.lowSpeedTime=3"
                + " s); 0.0 MB of 5.\\E.*")
        .endsWith(
            "Nothing was unpacked; the bytes received are kept in "
                + part()
                + " and the next build resumes from there. Check the network and proxy, fetch"
                + " from a closer mirror (-Dpbs.mirror=...), or on a slow link lower"
                + " -Dpbs.lowSpeedLimit (0 turns the check off).");
    long kept = Files.size(part());
    assertThat(kept).isBetween(1000L, 10_000L);
    assertThat(leftovers(true)).isEmpty();

    FetchedArchive fetched = fetch(request()).get(0);
    assertThat(fetched.sha256()).isEqualTo(sha256);
    assertThat(server.lastHeader(ASSET_PATH, "Range")).isEqualTo("bytes=" + kept + "-");
    assertThat(console.infos)
        .anyMatch(i -> i.startsWith("Resuming the download of " + url(ASSET_PATH) + " at 0.0 MB"));
    assertThat(part()).doesNotExist();
    assertThat(leftovers(false)).isEmpty();
  }

  @Test
  void aPartThatDoesNotEndWithTheExpectedHashIsDownloadedAgainFromTheStart() throws Exception {
    serve();
    Files.createDirectories(part().getParent());
    Files.writeString(part(), "not the start of that archive");
    FetchedArchive fetched = fetch(request()).get(0);
    assertThat(fetched.sha256()).isEqualTo(sha256);
    assertThat(console.warnings)
        .anyMatch(
            w ->
                w.endsWith(
                    "did not end with the expected SHA-256; downloading it again"
                        + " from the start"));
    assertThat(server.lastHeader(ASSET_PATH, "Range")).isNull();
    assertThat(leftovers(false)).isEmpty();
  }

  @Test
  void silenceBeforeEveryResponseFailsAfterTheAttempts() throws Exception {
    serve().inject(SUMS_PATH, new Fault.SilentBeforeHeaders(60_000), Integer.MAX_VALUE);
    String message = failure(request(), Duration.ofSeconds(15));
    assertThat(message)
        .matches(
            "\\QCannot download "
                + url(SUMS_PATH)
                + ": no response within 1 s (pbs.stallTimeout) (3 attempts over \\E[0-9.]+\\Q s)."
                + " Check the network and proxy (Maven settings.xml, HTTPS_PROXY), or fetch from a"
                + " mirror holding {date}/{asset} and {date}/SHA256SUMS: -Dpbs.mirror=https://..."
                + " or -Dpbs.mirror=file:///...\\E");
    assertThat(server.requestCount(SUMS_PATH)).isEqualTo(3);
    assertThat(leftovers(false)).isEmpty();
  }

  @Test
  void aServerThatGoesSilentOnEveryResumeFailsAtTheLowSpeedTime() throws Exception {
    serve().inject(ASSET_PATH, new Fault.StallAfter(0, 60_000), Integer.MAX_VALUE);
    String message = failure(request(), Duration.ofSeconds(20));
    assertThat(message)
        .startsWith(
            "Cannot download "
                + url(ASSET_PATH)
                + ": the download is too slow: 0.0 KB/s over the last 3 s");
    assertThat(console.warnings).anyMatch(w -> w.contains("no data received for 1 s"));
  }

  @Test
  void resetsAreResumedAndTooManyEndTheDownload() throws Exception {
    serve().inject(ASSET_PATH, new Fault.CutAfter(100_000, true), 2);
    assertThat(fetch(request()).get(0).sha256()).isEqualTo(sha256);
    assertThat(server.requestCount(ASSET_PATH)).isEqualTo(3);

    clean();
    server.inject(ASSET_PATH, new Fault.CutAfter(100_000, true), Integer.MAX_VALUE);
    String message =
        failure(request().http(quick().toBuilder().resumes(2).build()), Duration.ofSeconds(20));
    assertThat(message)
        .startsWith(
            "Cannot download "
                + url(ASSET_PATH)
                + ": the transfer broke off 3 times, last at byte 300000 of "
                + size
                + " (")
        .contains(
            "Nothing was unpacked; the bytes received are kept in "
                + part()
                + " and the next build resumes from there.");
    assertThat(Files.size(part())).isEqualTo(300_000);
    assertThat(leftovers(true)).isEmpty();
  }

  @Test
  void aContentLengthLargerThanTheFileEndsWhereTheFileDoesAndTheHashDecides() throws Exception {
    serve().inject(ASSET_PATH, new Fault.WrongLength(1000), 1);
    assertThat(fetch(request()).get(0).sha256()).isEqualTo(sha256);
    assertThat(console.warnings)
        .contains(
            url(ASSET_PATH)
                + " announced "
                + (size + 1000)
                + " bytes but has only "
                + size
                + "; the SHA-256 check decides whether that is the whole file");
  }

  @Test
  void aContentLengthSmallerThanTheFileIsAChecksumMismatch() throws Exception {
    serve().inject(ASSET_PATH, new Fault.WrongLength(-1000), 1);
    String message = failure(request(), Duration.ofSeconds(20));
    assertThat(message)
        .startsWith(
            "SHA-256 mismatch for "
                + url(ASSET_PATH)
                + "\n  expected: "
                + sha256
                + " (from "
                + url(SUMS_PATH)
                + ")\n  actual:   ")
        .contains(" (" + (size - 1000) + " bytes received, Content-Type application/octet-stream)")
        .contains("\nUnpacking had stopped on the way: Archive " + url(ASSET_PATH) + " is ")
        .endsWith(
            "\nThe file was discarded: nothing was cached or unpacked. If the download was damaged"
                + " on the way, run the build again; if the mirror (pbs.mirror) serves a different"
                + " file, fix the mirror; if the release was re-published, pin the new hash with"
                + " pbs.sha256.");
    assertThat(leftovers(false)).isEmpty();
    assertThat(work.resolve("target/pbs").resolve(LINUX)).doesNotExist();
  }

  @Test
  void anHtmlPageInsteadOfTheArchiveIsAMismatchThatSaysWhatCame() throws Exception {
    serve().inject(ASSET_PATH, Fault.html(HTML), 1);
    String message = failure(request(), Duration.ofSeconds(20));
    assertThat(message)
        .matches(
            "\\QSHA-256 mismatch for "
                + url(ASSET_PATH)
                + "\n  expected: "
                + sha256
                + " (from "
                + url(SUMS_PATH)
                + ")\n  actual:   \\E[0-9a-f]{64}\\Q ("
                + HTML.length()
                + " bytes received, Content-Type text/html; charset=utf-8, not gzip data: it"
                + " starts '<!DOCTYPE html><html><head><title>Sign in</title></head><bod...')\n"
                + "Unpacking had stopped on the way: "
                + url(ASSET_PATH)
                + " is not a tar.gz archive (Not in GZIP format).\n"
                + "The file was discarded: nothing was cached or unpacked.\\E.*");
    assertThat(leftovers(false)).isEmpty();
  }

  @Test
  void anHtmlPageOrACutListAsSha256SumsNeverReplacesTheKeptCopy() throws Exception {
    serve();
    fetch(request());
    Path copy = work.resolve("cache/sums/" + DATE + "-SHA256SUMS");
    String kept = Files.readString(copy);
    Directories.deleteRecursively(work.resolve("target"));

    server.inject(SUMS_PATH, Fault.html(HTML), 1);
    assertThat(failure(request(), Duration.ofSeconds(20)))
        .isEqualTo(
            url(SUMS_PATH)
                + " is not a SHA256SUMS list: line 1 is not '<sha256>  <file name>':"
                + " '<!DOCTYPE html><html><head><title>Sign in</title></head><bod...'."
                + " Received "
                + HTML.length()
                + " bytes (Content-Type text/html; charset=utf-8) starting '<!DOCTYPE html><html>"
                + "<head><title>Sign in</title></head><body>Sign in</body></ht...'. The mirror"
                + " (pbs.mirror) answered with a web page: it may want a login (settings.xml"
                + " <server>, pbs.serverId) or not serve python-build-standalone releases at"
                + " {date}/SHA256SUMS. The copy kept from an earlier build ("
                + copy
                + ") was left as it was.");
    String cut = kept.substring(0, kept.length() - 20);
    server.inject(SUMS_PATH, new Fault.Body("text/plain", cut.getBytes(StandardCharsets.UTF_8)), 1);
    assertThat(failure(request(), Duration.ofSeconds(20)))
        .startsWith(url(SUMS_PATH) + " is not a SHA256SUMS list: its last line '")
        .contains("' has no line end: the file looks cut short.");
    server.inject(
        SUMS_PATH,
        new Fault.Body(
            "text/plain", ("0".repeat(64) + "  other.tar.gz\n").getBytes(StandardCharsets.UTF_8)),
        1);
    assertThat(failure(request(), Duration.ofSeconds(20)))
        .startsWith(ASSET + " is not listed in " + url(SUMS_PATH));

    assertThat(Files.readString(copy)).isEqualTo(kept);
    // ... so a build that cannot reach the mirror still verifies against the release's list.
    assertThat(fetch(request().offline(true)).get(0).sha256()).isEqualTo(sha256);
  }

  @Test
  void redirectLoopsLongChainsAndOtherSchemesAreRefused() throws Exception {
    serve().inject(SUMS_PATH, new Fault.Redirect(302, "/elsewhere/SHA256SUMS"), Integer.MAX_VALUE);
    server.inject("/elsewhere/SHA256SUMS", new Fault.Redirect(302, SUMS_PATH), Integer.MAX_VALUE);
    assertThat(failure(request(), Duration.ofSeconds(10)))
        .isEqualTo(
            url(SUMS_PATH)
                + " redirects in a loop ("
                + url(SUMS_PATH)
                + " -> "
                + url("/elsewhere/SHA256SUMS")
                + " -> "
                + url(SUMS_PATH)
                + "). Fix the mirror's redirects, or set pbs.mirror to where the files really"
                + " are.");

    server.clearFaults(SUMS_PATH);
    server.inject(SUMS_PATH, new Fault.Redirect(307, "/hop/1"), Integer.MAX_VALUE);
    for (int i = 1; i <= 20; i++) {
      server.inject("/hop/" + i, new Fault.Redirect(302, "/hop/" + (i + 1)), Integer.MAX_VALUE);
    }
    assertThat(failure(request(), Duration.ofSeconds(10)))
        .startsWith(url(SUMS_PATH) + " redirected more than 10 times (" + url(SUMS_PATH) + " -> ")
        .endsWith(
            url("/hop/11")
                + "). Fix the mirror's redirects, or set pbs.mirror to where the"
                + " files really are.");

    server.clearFaults(SUMS_PATH);
    server.inject(SUMS_PATH, new Fault.Redirect(302, "file:///etc/passwd"), Integer.MAX_VALUE);
    assertThat(failure(request(), Duration.ofSeconds(10)))
        .isEqualTo(
            url(SUMS_PATH)
                + " redirects to 'file:///etc/passwd', which is not an http(s) URL: refused. Fix"
                + " the mirror (pbs.mirror).");
  }

  @Test
  void serverErrorsOnEveryTrySayTheyWereRetriedAndWhatToDo() throws Exception {
    serve().inject(SUMS_PATH, new Fault.Status(503, Map.of("Retry-After", "1")), Integer.MAX_VALUE);
    // A low-speed time longer than the waits, so every attempt is made.
    String message =
        failure(
            request().http(quick().toBuilder().lowSpeed(10240, Duration.ofSeconds(30)).build()),
            Duration.ofSeconds(15));
    assertThat(message)
        .matches(
            "\\QHTTP 503 (Service Unavailable) from "
                + url(SUMS_PATH)
                + " on each of 3 attempts over \\E[0-9.]+\\Q s. The server is failing: try again"
                + " later, or fetch from a mirror holding {date}/{asset} and {date}/SHA256SUMS:"
                + " -Dpbs.mirror=https://... or -Dpbs.mirror=file:///...\\E");
    // Retry-After (1 s) was honoured between the attempts.
    assertThat(console.infos)
        .contains(
            "Retrying "
                + url(SUMS_PATH)
                + " in 1000 ms (attempt 2 of 3): HTTP 503 (Service"
                + " Unavailable)");
  }

  @Test
  void anUnreachableMirrorWithEverythingCachedSuggestsOfflineOrFallsBack() throws Exception {
    serve();
    fetch(request());
    String mirror = server.baseUrl();
    server.close();
    server = null;
    PbsException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            PbsException.class, () -> fetch(request().mirror(mirror)));
    assertThat(e.getMessage())
        .startsWith("Cannot download " + mirror + "/20241016/SHA256SUMS: ")
        .endsWith(
            "\nEverything this build needs is in the cache "
                + work.resolve("cache")
                + ": build offline with mvn -o (or -Dpbs.offline=true), or set"
                + " -Dpbs.offlineFallback=true to use the cache whenever the mirror cannot be"
                + " reached.");

    FetchedArchive fallback = fetch(request().mirror(mirror).offlineFallback(true)).get(0);
    assertThat(fallback.sha256()).isEqualTo(sha256);
    assertThat(console.warnings)
        .anyMatch(
            w ->
                w.endsWith(
                    "\nUsing the cache "
                        + work.resolve("cache")
                        + " instead, which holds every archive this build needs"
                        + " (pbs.offlineFallback=true)."));
    // Offline by content: another mirror (or none) finds the same kept checksums.
    Directories.deleteRecursively(work.resolve("target"));
    assertThat(fetch(request().mirror("https://other-mirror.invalid/pbs").offline(true)))
        .hasSize(1);
  }

  @Test
  void basicAndBearerCredentialsGoToTheMirrorAndNeverIntoAMessage() throws Exception {
    String basic =
        "Basic "
            + Base64.getEncoder().encodeToString("ci:s3cret-pw".getBytes(StandardCharsets.UTF_8));
    serve().requireAuthorization(basic, "Basic realm=\"pbs\"");
    Credentials good =
        Credentials.basic("ci", "s3cret-pw", "<server> 'pbs-mirror' in settings.xml");
    assertThat(fetch(request().http(quick().toBuilder().credentials(good).build())).get(0).sha256())
        .isEqualTo(sha256);
    assertThat(server.lastAuthorization(ASSET_PATH)).isEqualTo(basic);
    assertThat(good.toString()).doesNotContain("s3cret-pw");

    clean();
    Credentials wrong =
        Credentials.basic("ci", "wrong-pw", "<server> 'pbs-mirror' in settings.xml");
    String refused =
        failure(
            request().http(quick().toBuilder().credentials(wrong).build()), Duration.ofSeconds(10));
    assertThat(refused)
        .isEqualTo(
            "HTTP 401 (Unauthorized) from "
                + url(SUMS_PATH)
                + ": the server refused user 'ci' of <server> 'pbs-mirror' in settings.xml. Check"
                + " them there (an encrypted password needs Maven's master password in"
                + " settings-security.xml).")
        .doesNotContain("wrong-pw");
    String none =
        failure(
            request()
                .http(
                    quick().toBuilder()
                        .credentials(Credentials.none("add a <server> to settings.xml"))
                        .build()),
            Duration.ofSeconds(10));
    assertThat(none)
        .isEqualTo(
            "HTTP 401 (Unauthorized) from "
                + url(SUMS_PATH)
                + ": the server wants credentials and none were sent: add a <server> to"
                + " settings.xml.");

    server.requireAuthorization("Bearer t0ken-123", "Bearer");
    Credentials token = Credentials.bearer("t0ken-123", "<server> 'pbs-token' in settings.xml");
    assertThat(
            fetch(request().http(quick().toBuilder().credentials(token).build())).get(0).sha256())
        .isEqualTo(sha256);
    assertThat(server.lastAuthorization(SUMS_PATH)).isEqualTo("Bearer t0ken-123");
  }

  @Test
  void credentialsAreNotSentToAHostTheMirrorRedirectsTo() throws Exception {
    try (LoopbackServer other = LoopbackServer.serve(releaseRoot)) {
      other.requireAuthorization("Bearer t0ken-123", "Bearer");
      serve().inject(SUMS_PATH, new Fault.Redirect(302, other.baseUrl() + SUMS_PATH), 1);
      Credentials token = Credentials.bearer("t0ken-123", "<server> 'pbs-mirror' in settings.xml");
      assertThat(
              failure(
                  request().http(quick().toBuilder().credentials(token).build()),
                  Duration.ofSeconds(10)))
          .isEqualTo(
              "HTTP 401 (Unauthorized) from "
                  + url(SUMS_PATH)
                  + ": the request was redirected to "
                  + other.uri("/").getAuthority()
                  + ", and the token of <server> 'pbs-mirror' in settings.xml only ever goes to "
                  + server.uri("/").getAuthority()
                  + ". Point pbs.mirror at the host that wants them.");
      assertThat(server.lastAuthorization(SUMS_PATH)).isEqualTo("Bearer t0ken-123");
      assertThat(other.lastAuthorization(SUMS_PATH)).isNull();
    }
  }

  @Test
  void aMirrorUrlWithCredentialsIsRefusedWithoutShowingThem() throws Exception {
    serve();
    PbsException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            PbsException.class,
            () -> fetch(request().mirror("https://ci:hunter2@mirror.example/pbs")));
    assertThat(e.isConfigurationProblem()).isTrue();
    assertThat(e.getMessage())
        .isEqualTo(
            "pbs.mirror 'https://***@mirror.example/pbs' carries credentials in the URL, where"
                + " logs and error messages would show them: refused. Put them in Maven's"
                + " settings.xml as a <server> with the id of pbs.serverId (default pbs-mirror):"
                + " <username> and <password> for Basic authentication, or only a <password> for a"
                + " bearer token; outside Maven, pass --token.");
  }

  @Test
  void aBuildWaitingForAnotherOnesDownloadSaysWhoHoldsIt() throws Exception {
    serve();
    Path lockFile = work.resolve("cache/.locks/" + ASSET + ".lock");
    CompletableFuture<List<FetchedArchive>> fetched;
    try (LockFile held = LockFile.acquire(lockFile, "fetching it for a test", console)) {
      fetched =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return fetch(request());
                } catch (PbsException e) {
                  throw new IllegalStateException(e);
                }
              });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (console.infos.stream().noneMatch(i -> i.startsWith("Waiting for "))
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(fetched).isNotDone();
    }
    assertThat(fetched.get(60, TimeUnit.SECONDS).get(0).sha256()).isEqualTo(sha256);
    assertThat(console.infos)
        .contains(
            "Waiting for another thread of this build, fetching it for a test: lock " + lockFile);
  }
}
