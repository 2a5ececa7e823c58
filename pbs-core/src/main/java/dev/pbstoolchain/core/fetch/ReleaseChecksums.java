package dev.pbstoolchain.core.fetch;

import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.io.LockFile;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The SHA-256 each archive must have: a pin, else the release's {@code SHA256SUMS}, else (releases
 * before 20240107) the asset's own {@code .sha256}. The checksum files are kept in the cache by
 * release date and asset, not by mirror, so an offline build works whatever {@code pbs.mirror}
 * says; a downloaded file replaces the kept copy only once it parses and lists the asset, so an
 * error page or a cut-off list never poisons the cache.
 */
final class ReleaseChecksums {

  private final FetchRequest request;
  private final Downloader downloader;
  private final ArchiveCache cache;
  private final PbsConsole console;
  private final Map<String, Sha256Sums> sumsByDate = new HashMap<>();
  private final Map<String, String> sources = new HashMap<>();
  private boolean offline;

  ReleaseChecksums(
      FetchRequest request, Downloader downloader, ArchiveCache cache, PbsConsole console) {
    this.request = request;
    this.downloader = downloader;
    this.cache = cache;
    this.console = console;
    this.offline = request.offline();
  }

  /** From now on, read only the kept copies (the mirror cannot be reached). */
  void goOffline() {
    offline = true;
    sumsByDate.clear();
  }

  boolean offline() {
    return offline;
  }

  /** The SHA-256 the archive must have. */
  String expected(ResolvedAsset resolved) throws PbsException {
    if (request.pinnedSha256() != null) {
      sources.put(resolved.asset().fileName(), "pinned by " + PropertyNames.SHA256);
      return request.pinnedSha256().strip().toLowerCase(Locale.ROOT);
    }
    String fileName = resolved.asset().fileName();
    Optional<Sha256Sums> list = sums(resolved);
    if (list.isPresent()) {
      String hash = list.get().get(fileName).orElseThrow(() -> notListed(resolved, list.get()));
      sources.putIfAbsent(fileName, "from " + resolved.sha256SumsUri());
      return hash;
    }
    Optional<String> single = singleFile(resolved);
    if (single.isPresent()) {
      return single.get();
    }
    throw PbsException.failure(
        "No published checksum for "
            + fileName
            + ": "
            + resolved.sha256SumsUri()
            + " was not found"
            + (offline ? " in the cache " + cache.dir() + " (offline)" : " (HTTP 404)")
            + ". Check pbs.date="
            + resolved.asset().date()
            + " names a python-build-standalone release"
            + (offline ? ", run once online," : "")
            + " or pin the expected hash with "
            + PropertyNames.SHA256
            + ".");
  }

  /** The expected hash using only the kept copies, if they give one (for offline fallback). */
  Optional<String> expectedOffline(ResolvedAsset resolved) {
    if (request.pinnedSha256() != null) {
      return Optional.of(request.pinnedSha256().strip().toLowerCase(Locale.ROOT));
    }
    String fileName = resolved.asset().fileName();
    Optional<String> text = readCopy(cache.sumsCopy(resolved.asset().date()));
    if (text.isPresent()) {
      return Sha256Sums.parse(text.get()).get(fileName);
    }
    return readCopy(cache.sha256Copy(resolved.asset().date(), fileName))
        .flatMap(Sha256Sums::parseSingle);
  }

  /** Where the expected hash came from, for messages. */
  String source(ResolvedAsset resolved) {
    return sources.getOrDefault(resolved.asset().fileName(), "");
  }

  private Optional<Sha256Sums> sums(ResolvedAsset resolved) throws PbsException {
    String date = resolved.asset().date();
    if (sumsByDate.containsKey(date)) {
      return Optional.ofNullable(sumsByDate.get(date));
    }
    Path copy = cache.sumsCopy(date);
    Sha256Sums sums;
    if (offline) {
      sums = readCopy(copy).map(Sha256Sums::parse).orElse(null);
      if (sums != null) {
        sources.put(resolved.asset().fileName(), "from " + copy + " (kept for offline builds)");
      }
    } else {
      Optional<Downloader.Text> text = downloader.readText(resolved.sha256SumsUri());
      sums = text.isEmpty() ? null : validated(text.get(), resolved, copy);
    }
    sumsByDate.put(date, sums);
    return Optional.ofNullable(sums);
  }

  /**
   * The downloaded list, if it is one; kept for offline builds once it lists this asset (a list
   * that does not is reported by the caller, and the copy stays as it was).
   */
  private Sha256Sums validated(Downloader.Text text, ResolvedAsset resolved, Path copy)
      throws PbsException {
    Optional<String> problem = Sha256Sums.problem(text.text());
    if (problem.isPresent()) {
      throw PbsException.failure(
          text.uri()
              + " is not a SHA256SUMS list: "
              + problem.get()
              + ". "
              + received(text)
              + ". "
              + badListHint(text)
              + (Files.isRegularFile(copy)
                  ? " The copy kept from an earlier build (" + copy + ") was left as it was."
                  : ""));
    }
    Sha256Sums sums = Sha256Sums.parse(text.text());
    if (sums.get(resolved.asset().fileName()).isPresent()) {
      keep(resolved.asset().date(), copy, text.text());
    }
    return sums;
  }

  private Optional<String> singleFile(ResolvedAsset resolved) throws PbsException {
    if (resolved.sha256File().isEmpty()) {
      return Optional.empty();
    }
    String fileName = resolved.asset().fileName();
    Path copy = cache.sha256Copy(resolved.asset().date(), fileName);
    if (offline) {
      Optional<String> hash = readCopy(copy).flatMap(Sha256Sums::parseSingle);
      hash.ifPresent(h -> sources.put(fileName, "from " + copy + " (kept for offline builds)"));
      return hash;
    }
    URI uri = resolved.sha256File().get();
    Optional<Downloader.Text> text = downloader.readText(uri);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String hash =
        Sha256Sums.parseSingle(text.get().text())
            .orElseThrow(
                () ->
                    PbsException.failure(
                        uri
                            + " does not hold a SHA-256 hash. "
                            + received(text.get())
                            + ". "
                            + badListHint(text.get())));
    keep(resolved.asset().date(), copy, text.get().text());
    sources.put(fileName, "from " + uri);
    return Optional.of(hash);
  }

  private void keep(String date, Path copy, String text) {
    try (LockFile lock = cache.lockSums(date, console)) {
      cache.sweepSums(date, console);
      cache.keepCopy(copy, text);
    } catch (IOException e) {
      console.warn(
          "Cannot keep a copy of "
              + copy.getFileName()
              + " for offline builds in "
              + copy.getParent()
              + ": "
              + Downloader.describe(e));
    }
  }

  private static Optional<String> readCopy(Path copy) {
    try {
      return Files.isRegularFile(copy)
          ? Optional.of(Files.readString(copy, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private PbsException notListed(ResolvedAsset resolved, Sha256Sums list) {
    String nearest = ReleaseContents.of(list.names()).nearest(resolved.asset());
    return PbsException.failure(
        resolved.asset().fileName()
            + " is not listed in "
            + (offline ? cache.sumsCopy(resolved.asset().date()) : resolved.sha256SumsUri())
            + ", so it cannot be verified. "
            + (nearest.isEmpty() ? "" : nearest + " ")
            + "Check pbs.version="
            + resolved.asset().version()
            + " and "
            + PropertyNames.FLAVOR
            + "="
            + resolved.asset().flavor()
            + " against the release, or pin the expected hash with "
            + PropertyNames.SHA256
            + " (single target).");
  }

  /** What the server sent, for a message: size, type, and the first characters. */
  static String received(Downloader.Text text) {
    int bytes = text.text().getBytes(StandardCharsets.UTF_8).length;
    return "Received "
        + bytes
        + " bytes"
        + Downloader.contentTypeNote(text.contentType())
        + (bytes == 0 ? "" : " starting '" + Sha256Sums.shown(text.text().strip(), 80) + "'");
  }

  private static String badListHint(Downloader.Text text) {
    boolean html =
        text.contentType().toLowerCase(Locale.ROOT).contains("html")
            || text.text().stripLeading().startsWith("<");
    return html
        ? "The mirror ("
            + PropertyNames.MIRROR
            + ") answered with a web page: it may want a login (settings.xml <server>, "
            + PropertyNames.SERVER_ID
            + ") or not serve python-build-standalone releases at {date}/SHA256SUMS."
        : "Check that the mirror ("
            + PropertyNames.MIRROR
            + ") serves python-build-standalone releases as {date}/SHA256SUMS.";
  }
}
