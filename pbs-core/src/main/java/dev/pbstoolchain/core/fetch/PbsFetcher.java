package dev.pbstoolchain.core.fetch;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Fetches python-build-standalone archives: resolve, download (or take from the cache), verify the
 * SHA-256 and unpack, in one streaming pass. Nothing is cached or unpacked unless the hash matches.
 */
public final class PbsFetcher {

  private static final String MARKER = ".pbs-archive";
  private static final long PROGRESS_THRESHOLD = 8L << 20;

  private final PbsConsole console;

  public PbsFetcher(PbsConsole console) {
    this.console = console;
  }

  /** Fetches every target of the request, in order. */
  public List<FetchedArchive> fetch(FetchRequest request) throws PbsException {
    validate(request);
    if (!request.verifyChecksums()) {
      console.warn(
          "**********************************************************************\n"
              + "SHA-256 VERIFICATION IS OFF (pbs.verifyChecksums=false): the python-build-"
              + "standalone archives used by this build are NOT checked against the release's"
              + " published checksums, and are not cached.\n"
              + "**********************************************************************");
    }
    AssetResolver resolver = new AssetResolver(request.mirror());
    List<ResolvedAsset> resolved = new ArrayList<>();
    for (String triple : request.triples()) {
      resolved.add(resolver.resolve(request.date(), request.version(), triple, request.flavor()));
    }
    Session session = new Session(request, resolver);
    List<FetchedArchive> results = new ArrayList<>();
    for (ResolvedAsset asset : resolved) {
      results.add(session.fetchOne(asset));
    }
    return results;
  }

  private static void validate(FetchRequest request) throws PbsException {
    if (request.triples().isEmpty()) {
      throw PbsException.configuration(
          "No target to fetch: set pbs.targets (comma-separated triples) or list targets in"
              + " matrix.yaml");
    }
    if (request.pinnedSha256() != null) {
      if (request.triples().size() != 1) {
        throw PbsException.configuration(
            "pbs.sha256 pins the hash of one archive, but "
                + request.triples().size()
                + " targets are requested ("
                + String.join(", ", request.triples())
                + "). Fetch one target with -Dpbs.targets=TRIPLE, or drop pbs.sha256 to verify"
                + " against the release's SHA256SUMS.");
      }
      if (!Sha256Sums.isSha256(request.pinnedSha256())) {
        throw PbsException.configuration(
            "pbs.sha256 '" + request.pinnedSha256() + "' is not a SHA-256: expected 64 hex digits");
      }
    }
  }

  /** The state of one fetch call. */
  private final class Session {
    private final FetchRequest request;
    private final AssetResolver resolver;
    private final ArchiveCache cache;
    private final Downloader downloader;
    private Sha256Sums sums;

    Session(FetchRequest request, AssetResolver resolver) {
      this.request = request;
      this.resolver = resolver;
      this.cache = new ArchiveCache(request.cacheDir());
      this.downloader = new Downloader(request.http(), console);
    }

    FetchedArchive fetchOne(ResolvedAsset resolved) throws PbsException {
      ReleaseAsset asset = resolved.asset();
      String fileName = asset.fileName();
      String expected = request.verifyChecksums() ? expectedSha256(resolved) : null;
      Path unpacked = request.outputDir().resolve(asset.triple()).toAbsolutePath().normalize();
      if (expected != null && request.unpack() && isUnpacked(unpacked, expected, fileName)) {
        console.info(fileName + " is already unpacked in " + unpacked);
        return new FetchedArchive(resolved, cache.entry(expected, fileName), expected, unpacked);
      }
      try (ArchiveCache.Lock lock = cache.lock(fileName)) {
        return fetchLocked(resolved, expected, unpacked);
      } catch (IOException e) {
        throw PbsException.failure(
            "Cannot fetch " + fileName + " into " + cache.dir() + ": " + Downloader.describe(e), e);
      }
    }

    private FetchedArchive fetchLocked(ResolvedAsset resolved, String expected, Path unpacked)
        throws PbsException, IOException {
      String fileName = resolved.asset().fileName();
      Optional<Path> cached = expected == null ? Optional.empty() : cache.find(expected, fileName);
      InputStream source;
      Path temp = null;
      long length = -1;
      String origin;
      if (cached.isPresent()) {
        console.info("Using cached " + cached.get());
        source = Files.newInputStream(cached.get());
        origin = cached.get().toString();
      } else if (request.offline()) {
        throw PbsException.configuration(
            "Offline (mvn -o or pbs.offline): "
                + fileName
                + " is not in the cache "
                + cache.dir()
                + ". Run the build once online, or copy the verified archive to "
                + (expected == null ? cache.dir() : cache.entry(expected, fileName)));
      } else {
        Downloader.Body body =
            downloader
                .open(resolved.uri())
                .orElseThrow(() -> notFound(resolved.uri(), resolved.asset()));
        source = body.stream();
        length = body.length().orElse(-1);
        temp = cache.newTempFile(fileName);
        origin = resolved.uri().toString();
        console.info(
            "Downloading " + resolved.uri() + (length > 0 ? " (" + megabytes(length) + ")" : ""));
      }
      Path tempDir = null;
      try {
        if (request.unpack()) {
          Files.createDirectories(unpacked.getParent());
          tempDir =
              Files.createTempDirectory(unpacked.getParent(), "." + unpacked.getFileName() + "-");
        }
        String actual;
        try {
          actual = stream(source, temp, tempDir, length, resolved, origin);
        } catch (PbsException e) {
          if (cached.isPresent()) {
            // A cache entry that no longer reads back is useless: drop it so the next run heals.
            Files.deleteIfExists(cached.get());
            console.warn("Removed unreadable cache entry " + cached.get());
          }
          throw e;
        }
        if (expected != null && !actual.equals(expected)) {
          if (cached.isPresent()) {
            Files.deleteIfExists(cached.get());
          }
          throw PbsException.failure(
              "SHA-256 mismatch for "
                  + origin
                  + "\n  expected: "
                  + expected
                  + " ("
                  + checksumSource(resolved)
                  + ")\n  actual:   "
                  + actual
                  + "\nThe file was discarded: nothing was cached or unpacked. If the mirror"
                  + " (pbs.mirror) serves a different file, fix the mirror; if the release was"
                  + " re-published, pin the new hash with pbs.sha256.");
        }
        Path archive;
        if (cached.isPresent()) {
          archive = cached.get();
        } else if (expected != null) {
          archive = cache.commit(temp, actual, fileName);
          temp = null;
        } else {
          archive = keepUnverified(temp, fileName);
          temp = null;
        }
        if (tempDir != null) {
          Files.writeString(tempDir.resolve(MARKER), marker(actual, fileName));
          replaceDirectory(tempDir, unpacked);
          tempDir = null;
        }
        return new FetchedArchive(resolved, archive, actual, request.unpack() ? unpacked : null);
      } finally {
        if (temp != null) {
          Files.deleteIfExists(temp);
        }
        if (tempDir != null) {
          Directories.deleteQuietly(tempDir);
        }
      }
    }

    /** Hashes the archive while copying it to the cache temp file and unpacking it. */
    private String stream(
        InputStream source,
        Path temp,
        Path tempDir,
        long length,
        ResolvedAsset resolved,
        String origin)
        throws PbsException, IOException {
      MessageDigest sha256 = sha256();
      String name = resolved.asset().fileName();
      try (OutputStream copy =
              temp == null
                  ? OutputStream.nullOutputStream()
                  : new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
          InputStream progress =
              length >= PROGRESS_THRESHOLD
                  ? new ProgressStream(source, length, name, console)
                  : source;
          DigestInputStream hashed =
              new DigestInputStream(new TeeInputStream(progress, copy), sha256)) {
        try {
          if (tempDir != null) {
            InputStream tar = decompress(hashed, resolved.asset());
            new SafeUnpacker().unpack(tar, tempDir, origin);
            tar.transferTo(OutputStream.nullOutputStream());
          }
          hashed.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
          throw PbsException.failure(
              "Cannot read "
                  + origin
                  + ": "
                  + Downloader.describe(e)
                  + ". Nothing was cached or unpacked; run the build again.",
              e);
        }
      }
      return HexFormat.of().formatHex(sha256.digest());
    }

    private InputStream decompress(InputStream in, ReleaseAsset asset) throws PbsException {
      try {
        return asset.isFull()
            ? new java.io.BufferedInputStream(new ZstdInputStreamNoFinalizer(in), 1 << 17)
            : new GZIPInputStream(in, 1 << 16);
      } catch (IOException e) {
        throw PbsException.failure(
            asset.fileName()
                + " is not a valid "
                + Flavors.extension(asset.flavor())
                + " archive ("
                + Downloader.describe(e)
                + "). Nothing was cached or unpacked.",
            e);
      }
    }

    private String expectedSha256(ResolvedAsset resolved) throws PbsException {
      if (request.pinnedSha256() != null) {
        return request.pinnedSha256().strip().toLowerCase(java.util.Locale.ROOT);
      }
      String fileName = resolved.asset().fileName();
      Sha256Sums list = sums(resolved);
      if (list != null) {
        return list.get(fileName)
            .orElseThrow(
                () ->
                    PbsException.failure(
                        fileName
                            + " is not listed in "
                            + resolved.sha256SumsUri()
                            + ", so it cannot be verified. "
                            + nearestOf(list, resolved.asset())
                            + "Check pbs.version="
                            + resolved.asset().version()
                            + " and pbs.flavor="
                            + resolved.asset().flavor()
                            + " against the release, or pin the expected hash with pbs.sha256"
                            + " (single target)."));
      }
      if (resolved.sha256File().isPresent() && !request.offline()) {
        Optional<String> single = downloader.readText(resolved.sha256File().get());
        if (single.isPresent()) {
          return Sha256Sums.parseSingle(single.get())
              .orElseThrow(
                  () ->
                      PbsException.failure(
                          resolved.sha256File().get() + " does not hold a SHA-256 hash"));
        }
      }
      throw PbsException.failure(
          "No published checksum for "
              + fileName
              + ": "
              + resolved.sha256SumsUri()
              + " was not found"
              + (request.offline() ? " in the cache (offline)" : " (HTTP 404)")
              + ". Check pbs.date="
              + resolved.asset().date()
              + " names a python-build-standalone release"
              + (request.offline() ? ", run once online," : "")
              + " or pin the expected hash with pbs.sha256.");
    }

    private static String nearestOf(Sha256Sums list, ReleaseAsset wanted) {
      String nearest = ReleaseContents.of(list.names()).nearest(wanted);
      return nearest.isEmpty() ? "" : nearest + " ";
    }

    /** The release's SHA256SUMS, downloaded once per call and kept for offline builds. */
    private Sha256Sums sums(ResolvedAsset resolved) throws PbsException {
      if (sums != null) {
        return sums;
      }
      String date = resolved.asset().date();
      Path copy = cache.sumsCopy(date + "-" + Integer.toHexString(resolver.base().hashCode()));
      String text;
      if (request.offline()) {
        try {
          text = Files.isRegularFile(copy) ? Files.readString(copy, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
          throw PbsException.failure("Cannot read " + copy + ": " + Downloader.describe(e), e);
        }
      } else {
        text = downloader.readText(resolved.sha256SumsUri()).orElse(null);
        if (text != null) {
          try {
            cache.writeAtomically(copy, text);
          } catch (IOException e) {
            console.warn("Cannot keep a copy of SHA256SUMS for offline builds: " + e.getMessage());
          }
        }
      }
      sums = text == null ? null : Sha256Sums.parse(text);
      return sums;
    }

    private String checksumSource(ResolvedAsset resolved) {
      if (request.pinnedSha256() != null) {
        return "pinned by pbs.sha256";
      }
      return sums != null
          ? "from " + resolved.sha256SumsUri()
          : "from " + resolved.sha256File().orElse(null);
    }

    private Path keepUnverified(Path temp, String fileName) throws IOException {
      Path dir = request.outputDir().resolve(".unverified");
      Files.createDirectories(dir);
      Path target = dir.resolve(fileName);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    }
  }

  private static PbsException notFound(java.net.URI uri, ReleaseAsset asset) {
    return PbsException.failure(
        "Not found (HTTP 404): "
            + uri
            + "\nCheck pbs.date="
            + asset.date()
            + " and pbs.version="
            + asset.version()
            + ": that release may not publish CPython "
            + asset.version()
            + " for "
            + asset.triple()
            + " ("
            + asset.flavor()
            + "). See https://github.com/astral-sh/python-build-standalone/releases/tag/"
            + asset.date()
            + ", or set pbs.mirror to a server that has it.");
  }

  private static boolean isUnpacked(Path dir, String sha256, String fileName) {
    try {
      Path marker = dir.resolve(MARKER);
      return Files.isRegularFile(marker)
          && Files.readString(marker).equals(marker(sha256, fileName));
    } catch (IOException e) {
      return false;
    }
  }

  private static String marker(String sha256, String fileName) {
    return sha256 + "  " + fileName + "\n";
  }

  /** Swaps a finished temp tree into place; the old tree (if any) is removed afterwards. */
  private static void replaceDirectory(Path fresh, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-old-");
      Files.delete(old);
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
    if (old != null) {
      Directories.deleteRecursively(old);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-256", e);
    }
  }

  static String megabytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }
}
