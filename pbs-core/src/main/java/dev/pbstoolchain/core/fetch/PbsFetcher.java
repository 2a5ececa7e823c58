package dev.pbstoolchain.core.fetch;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.pbstoolchain.core.PbsConsole;
import dev.pbstoolchain.core.PbsException;
import dev.pbstoolchain.core.PropertyNames;
import dev.pbstoolchain.core.io.AtomicFiles;
import dev.pbstoolchain.core.io.LockFile;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Fetches python-build-standalone archives: resolve, download (or take from the cache), verify the
 * SHA-256 and unpack, in one streaming pass. Nothing is cached or unpacked unless the hash matches;
 * a failure is reported once the whole file is hashed, so a damaged or substituted download is
 * called a checksum mismatch, not a corrupt archive.
 */
public final class PbsFetcher {

  /** Bytes of a body kept to say what a server sent instead of an archive. */
  private static final int HEAD_BYTES = 64;

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
    warnAboutPlainHttpCredentials(request, resolver);
    Session session = new Session(request);
    List<FetchedArchive> results = new ArrayList<>();
    for (ResolvedAsset asset : resolved) {
      String expected = session.expected(asset, resolved);
      results.add(session.fetchOne(asset, expected));
    }
    return results;
  }

  private static void validate(FetchRequest request) throws PbsException {
    if (request.triples().isEmpty()) {
      throw PbsException.configuration(
          "No target to fetch: set pbs.targets (comma-separated triples) or list targets in"
              + " matrix.yaml");
    }
    Optional<String> withCredentials = MirrorUrl.withoutCredentials(request.mirror());
    if (withCredentials.isPresent()) {
      throw PbsException.configuration(
          PropertyNames.MIRROR
              + " '"
              + withCredentials.get()
              + "' carries credentials in the URL, where logs and error messages would show"
              + " them: refused. Put them in Maven's settings.xml as a <server> with the id of "
              + PropertyNames.SERVER_ID
              + " (default pbs-mirror): <username> and <password> for Basic authentication, or"
              + " only a <password> for a bearer token; outside Maven, pass --token.");
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

  private void warnAboutPlainHttpCredentials(FetchRequest request, AssetResolver resolver) {
    URI base = URI.create(resolver.base() + "/");
    if (request.http().credentials().isPresent()
        && "http".equalsIgnoreCase(base.getScheme())
        && !isLoopback(base.getHost())) {
      console.warn(
          "Sending "
              + request.http().credentials().describe()
              + " to "
              + base.getHost()
              + " over plain http: anyone on the way can read them. Use an https mirror.");
    }
  }

  private static boolean isLoopback(String host) {
    return host != null
        && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
  }

  /** The state of one fetch call. */
  private final class Session {
    private final FetchRequest request;
    private final ArchiveCache cache;
    private final Downloader downloader;
    private final ReleaseChecksums checksums;

    Session(FetchRequest request) {
      this.request = request;
      this.cache = new ArchiveCache(request.cacheDir());
      this.downloader = new Downloader(request.http(), console);
      this.checksums = new ReleaseChecksums(request, downloader, cache, console);
    }

    /**
     * The hash {@code asset} must have (null when verification is off). When the mirror cannot be
     * reached but the cache holds everything, the build falls back to the cache if told to, else
     * says how.
     */
    String expected(ResolvedAsset asset, List<ResolvedAsset> all) throws PbsException {
      if (!request.verifyChecksums()) {
        return null;
      }
      try {
        return checksums.expected(asset);
      } catch (PbsException e) {
        if (!Downloader.isUnreachable(e) || checksums.offline() || !cacheServes(all)) {
          throw e;
        }
        if (request.offlineFallback()) {
          console.warn(
              e.getMessage()
                  + "\nUsing the cache "
                  + cache.dir()
                  + " instead, which holds every archive this build needs ("
                  + PropertyNames.OFFLINE_FALLBACK
                  + "=true).");
          checksums.goOffline();
          return checksums.expected(asset);
        }
        throw PbsException.failure(
            e.getMessage()
                + "\nEverything this build needs is in the cache "
                + cache.dir()
                + ": build offline with mvn -o (or -D"
                + PropertyNames.OFFLINE
                + "=true), or set -D"
                + PropertyNames.OFFLINE_FALLBACK
                + "=true to use the cache whenever the mirror cannot be reached.",
            e);
      }
    }

    private boolean cacheServes(List<ResolvedAsset> all) {
      for (ResolvedAsset asset : all) {
        String name = asset.asset().fileName();
        Optional<String> sha = checksums.expectedOffline(asset);
        boolean served =
            sha.isPresent()
                && (cache.find(sha.get(), name).isPresent()
                    || request.unpack()
                        && new UnpackedTree(request.outputDir(), asset.asset().triple())
                            .holds(sha.get(), name));
        if (!served) {
          return false;
        }
      }
      return true;
    }

    FetchedArchive fetchOne(ResolvedAsset resolved, String expected) throws PbsException {
      if (!request.unpack()) {
        return obtain(resolved, expected, null);
      }
      UnpackedTree tree = new UnpackedTree(request.outputDir(), resolved.asset().triple());
      String fileName = resolved.asset().fileName();
      try (LockFile lock = tree.lock(console)) {
        tree.sweep(console);
        if (expected != null && tree.holds(expected, fileName)) {
          console.info(fileName + " is already unpacked in " + tree.dir());
          provenance(resolved, expected, "the tree unpacked by an earlier build");
          return new FetchedArchive(
              resolved, cache.entry(expected, fileName), expected, tree.dir());
        }
        return obtain(resolved, expected, tree);
      } catch (IOException e) {
        throw PbsException.failure(
            "Cannot unpack into "
                + tree.dir()
                + ": "
                + Downloader.describe(e)
                + ". Check that the directory is writable, or unpack elsewhere with -D"
                + PropertyNames.OUTPUT_DIR
                + "=DIR.",
            e);
      }
    }

    /** From the cache if there, else downloaded (taking turns with other builds). */
    private FetchedArchive obtain(ResolvedAsset resolved, String expected, UnpackedTree tree)
        throws PbsException {
      String fileName = resolved.asset().fileName();
      Optional<Path> cached = expected == null ? Optional.empty() : cache.find(expected, fileName);
      if (cached.isEmpty() && checksums.offline()) {
        throw PbsException.configuration(
            "Offline (mvn -o or pbs.offline): "
                + fileName
                + " is not in the cache "
                + cache.dir()
                + ". Run the build once online, or copy the verified archive to "
                + (expected == null ? cache.dir() : cache.entry(expected, fileName)));
      }
      if (cached.isEmpty()) {
        try (LockFile lock =
            cache.lock(fileName, "fetching " + fileName + " into " + cache.dir(), console)) {
          // Another build may have cached it while this one waited.
          cached = expected == null ? Optional.empty() : cache.find(expected, fileName);
          if (cached.isEmpty()) {
            cache.sweep(
                fileName, expected == null ? null : cache.part(expected, fileName), console);
            return download(resolved, expected, tree, true);
          }
        } catch (IOException e) {
          throw PbsException.failure(
              "Cannot use the archive cache "
                  + cache.dir()
                  + ": "
                  + Downloader.describe(e)
                  + ". Check that it is writable, or use another one with -D"
                  + PropertyNames.CACHE_DIR
                  + "=DIR.",
              e);
        }
      }
      return fromCache(resolved, cached.get(), expected, tree);
    }

    private FetchedArchive fromCache(
        ResolvedAsset resolved, Path entry, String expected, UnpackedTree tree)
        throws PbsException {
      console.info("Using cached " + entry);
      Path tempDir = null;
      try {
        tempDir = tree == null ? null : tree.newTempDir();
        Outcome outcome;
        try (InputStream in = Files.newInputStream(entry)) {
          outcome = stream(in, Files.size(entry), "", tempDir, resolved, entry.toString());
        } catch (TransferFailedException e) {
          throw new IllegalStateException("a cache file is not a transfer", e);
        }
        if (!outcome.sha256().equals(expected)) {
          // A cache entry that no longer reads back is useless: drop it so the next run heals.
          Files.deleteIfExists(entry);
          throw mismatch(
              resolved,
              entry.toString(),
              expected,
              outcome,
              "The damaged cache entry was removed:"
                  + " run the build again to download the archive again.");
        }
        check(resolved, outcome, entry.toString(), expected);
        if (tree != null) {
          tree.publish(
              tempDir,
              outcome.files(),
              expected,
              resolved.asset().fileName(),
              resolved.uri().toString());
          tempDir = null;
        }
        provenance(resolved, expected, "the cache (" + entry + ")");
        return new FetchedArchive(resolved, entry, expected, tree == null ? null : tree.dir());
      } catch (IOException e) {
        throw PbsException.failure(
            "Cannot unpack the cached "
                + entry
                + (tree == null ? "" : " into " + tree.dir())
                + ": "
                + Downloader.describe(e)
                + ". Check the disk, or set -D"
                + PropertyNames.OUTPUT_DIR
                + "=DIR.",
            e);
      } finally {
        if (tempDir != null) {
          Directories.deleteQuietly(tempDir);
        }
      }
    }

    /**
     * Downloads into the cache's part file (resuming one an earlier build left, when its name, the
     * expected SHA-256, says it is the same file) while hashing and unpacking, then commits.
     */
    private FetchedArchive download(
        ResolvedAsset resolved, String expected, UnpackedTree tree, boolean mayResume)
        throws PbsException, IOException {
      String fileName = resolved.asset().fileName();
      Path part =
          expected == null ? cache.newUnverifiedTemp(fileName) : cache.part(expected, fileName);
      long have = mayResume && expected != null && Files.isRegularFile(part) ? Files.size(part) : 0;
      boolean keepPart = false;
      Path tempDir = null;
      try {
        Optional<Downloader.Body> opened = downloader.open(resolved.uri(), have);
        if (opened.isEmpty()) {
          throw notFound(resolved.uri(), resolved.asset());
        }
        Downloader.Body body = opened.get();
        long length = body.length().orElse(-1);
        if (length > request.limits().maxBytes()) {
          throw PbsException.failure(
              resolved.uri()
                  + " is "
                  + UnpackLimits.bytes(length)
                  + ", more than "
                  + UnpackLimits.bytes(request.limits().maxBytes())
                  + " ("
                  + PropertyNames.MAX_UNPACKED_SIZE
                  + "), which no python-build-standalone archive comes near. Check the mirror ("
                  + PropertyNames.MIRROR
                  + "), or raise the limit if this archive really is that large.");
        }
        console.info(
            (have > 0
                    ? "Resuming the download of " + resolved.uri() + " at " + megabytes(have)
                    : "Downloading " + resolved.uri())
                + (length > 0 ? " (" + megabytes(length) + ")" : ""));
        tempDir = tree == null ? null : tree.newTempDir();
        Outcome outcome;
        try (OutputStream out =
            new BufferedOutputStream(
                Files.newOutputStream(
                    part,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    have > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING),
                1 << 16)) {
          InputStream network = new TeeInputStream(body.stream(), out);
          InputStream source =
              have > 0
                  ? new SequenceInputStream(new Prefix(Files.newInputStream(part), have), network)
                  : network;
          try (source) {
            outcome =
                stream(
                    source,
                    length,
                    body.contentType(),
                    tempDir,
                    resolved,
                    resolved.uri().toString());
          }
        } catch (TransferFailedException e) {
          keepPart = expected != null;
          throw PbsException.failure(
              "Cannot download "
                  + resolved.uri()
                  + ": "
                  + e.getMessage()
                  + ". Nothing was unpacked"
                  + (keepPart
                      ? "; the bytes received are kept in "
                          + part
                          + " and the next build resumes from there"
                      : "")
                  + ". "
                  + (e instanceof TransferWatch.TooSlowException
                      ? "Check the network and proxy, fetch from a closer mirror (-D"
                          + PropertyNames.MIRROR
                          + "=...), or on a slow link lower -D"
                          + PropertyNames.LOW_SPEED_LIMIT
                          + " (0 turns the check off)."
                      : Downloader.networkHint()),
              e);
        }
        if (expected != null && !outcome.sha256().equals(expected)) {
          if (have > 0) {
            console.warn(
                "The download of "
                    + resolved.uri()
                    + " resumed from "
                    + part
                    + " did not end with the expected SHA-256; downloading it again from the"
                    + " start");
            Files.deleteIfExists(part);
            if (tempDir != null) {
              Directories.deleteQuietly(tempDir);
              tempDir = null;
            }
            return download(resolved, expected, tree, false);
          }
          throw mismatch(
              resolved,
              resolved.uri().toString(),
              expected,
              outcome,
              "The file was discarded: nothing was cached or unpacked. If the download was"
                  + " damaged on the way, run the build again; if the mirror ("
                  + PropertyNames.MIRROR
                  + ") serves a different file, fix the mirror; if the release was re-published,"
                  + " pin the new hash with "
                  + PropertyNames.SHA256
                  + ".");
        }
        check(resolved, outcome, resolved.uri().toString(), expected);
        Path archive =
            expected != null
                ? cache.commit(part, expected, fileName)
                : keepUnverified(part, fileName);
        keepPart = true;
        if (tree != null) {
          tree.publish(
              tempDir, outcome.files(), outcome.sha256(), fileName, resolved.uri().toString());
          tempDir = null;
        }
        provenance(resolved, outcome.sha256(), resolved.uri().toString());
        return new FetchedArchive(
            resolved, archive, outcome.sha256(), tree == null ? null : tree.dir());
      } finally {
        if (!keepPart) {
          Files.deleteIfExists(part);
        }
        if (tempDir != null) {
          Directories.deleteQuietly(tempDir);
        }
      }
    }

    /**
     * Fails on an unpack that stopped (the hash matched, or was not checked) or a tree with no
     * Python.
     */
    private void check(ResolvedAsset resolved, Outcome outcome, String origin, String expected)
        throws PbsException {
      UnpackException failure = outcome.failure();
      if (failure == null && outcome.tempDir() != null) {
        Optional<String> missing = PythonTree.missing(outcome.tempDir(), resolved.asset());
        if (missing.isPresent()) {
          failure =
              new UnpackException(
                  UnpackException.Kind.ARCHIVE,
                  origin
                      + " is not a Python for "
                      + resolved.asset().triple()
                      + ": it unpacks"
                      + " to "
                      + missing.get()
                      + ".",
                  null);
        }
      }
      if (failure == null) {
        return;
      }
      if (expected == null) {
        throw PbsException.failure(failure.getMessage() + " Nothing was unpacked.", failure);
      }
      throw PbsException.failure(
          failure.getMessage()
              + " Nothing was unpacked or cached. The file is exactly the one the release lists ("
              + checksums.source(resolved)
              + "), so fetching it again will not help: report it to the mirror's owner, or"
              + " choose another release (pbs.date).",
          failure);
    }

    private PbsException mismatch(
        ResolvedAsset resolved, String origin, String expected, Outcome outcome, String what) {
      return PbsException.failure(
          "SHA-256 mismatch for "
              + origin
              + "\n  expected: "
              + expected
              + " ("
              + checksums.source(resolved)
              + ")\n  actual:   "
              + outcome.sha256()
              + " ("
              + outcome.received()
              + ")\n"
              + (outcome.failure() == null
                  ? ""
                  : "Unpacking had stopped on the way: " + outcome.failure().getMessage() + "\n")
              + what);
    }

    /** The build log says which archive, which hash and where from; LICENSE.md does not. */
    private void provenance(ResolvedAsset resolved, String sha256, String origin) {
      String source = checksums.source(resolved);
      console.info(
          resolved.asset().triple()
              + ": "
              + resolved.asset().fileName()
              + " (sha256 "
              + sha256
              + (source.isEmpty() ? ", not verified" : ", " + source)
              + ") from "
              + origin);
    }

    /**
     * Hashes the archive while unpacking it (when {@code tempDir} is given). An unpack that stops
     * on the archive's content does not end the stream: the rest is still read and hashed, so the
     * caller can tell a damaged download (hash mismatch) from a bad release (hash matches).
     */
    private Outcome stream(
        InputStream source,
        long length,
        String contentType,
        Path tempDir,
        ResolvedAsset resolved,
        String origin)
        throws TransferFailedException, PbsException, IOException {
      MessageDigest sha256 = sha256();
      long cap = request.limits().maxBytes();
      MeteredInputStream received =
          new MeteredInputStream(
              source,
              cap,
              "it is larger than "
                  + UnpackLimits.bytes(cap)
                  + " ("
                  + PropertyNames.MAX_UNPACKED_SIZE
                  + ")",
              HEAD_BYTES);
      DigestInputStream hashed = new DigestInputStream(received, sha256);
      UnpackException failure = null;
      Map<String, Long> files = Map.of();
      try {
        if (tempDir != null) {
          try {
            InputStream tar = decompress(hashed, resolved.asset(), origin);
            files = new SafeUnpacker(request.limits()).unpack(tar, tempDir, origin);
            drain(tar, origin);
          } catch (UnpackException e) {
            if (e.kind() == UnpackException.Kind.LOCAL) {
              throw PbsException.failure(e.getMessage(), e);
            }
            failure = e;
          }
        }
        drain(hashed, origin);
      } catch (UnpackException e) {
        // The raw bytes did not come through (an archive larger than the limit): stop here.
        failure = e;
      }
      String actual = HexFormat.of().formatHex(sha256.digest());
      String what =
          ReceivedBytes.describe(
              received.total(),
              length > 0 && received.total() != length
                  ? contentType + (contentType.isBlank() ? "" : ", ") + "Content-Length " + length
                  : contentType,
              received.head(),
              resolved.asset());
      return new Outcome(actual, what, failure, files, tempDir);
    }

    private InputStream decompress(InputStream in, ReleaseAsset asset, String origin)
        throws UnpackException, TransferFailedException {
      try {
        return asset.isFull()
            ? new BufferedInputStream(new ZstdInputStreamNoFinalizer(in), 1 << 17)
            : new GZIPInputStream(in, 1 << 16);
      } catch (TransferFailedException e) {
        throw e;
      } catch (IOException e) {
        throw new UnpackException(
            UnpackException.Kind.ARCHIVE,
            origin
                + " is not a "
                + Flavors.extension(asset.flavor())
                + " archive ("
                + Downloader.describe(e)
                + ").",
            e);
      }
    }

    /** Reads what is left (the tar's end, or the raw bytes after a stop) so all of it is hashed. */
    private void drain(InputStream in, String origin)
        throws UnpackException, TransferFailedException {
      try {
        in.transferTo(OutputStream.nullOutputStream());
      } catch (TransferFailedException e) {
        throw e;
      } catch (MeteredInputStream.LimitException e) {
        throw new UnpackException(
            UnpackException.Kind.ARCHIVE, "Refusing " + origin + ": " + e.getMessage() + ".", e);
      } catch (IOException e) {
        throw new UnpackException(
            UnpackException.Kind.ARCHIVE,
            "Archive "
                + origin
                + " is truncated or corrupt at its end ("
                + Downloader.describe(e)
                + ").",
            e);
      }
    }

    private Path keepUnverified(Path temp, String fileName) throws IOException {
      Path dir = request.outputDir().resolve(".unverified");
      Files.createDirectories(dir);
      Path target = dir.resolve(fileName);
      AtomicFiles.commit(temp, target);
      return target;
    }
  }

  /**
   * What one pass over an archive found.
   *
   * @param sha256 the hash of every byte
   * @param received what was read, in words (for a mismatch message)
   * @param failure why unpacking stopped, if it did
   * @param files the regular files unpacked and their sizes
   * @param tempDir where it was unpacked, if it was
   */
  private record Outcome(
      String sha256,
      String received,
      UnpackException failure,
      Map<String, Long> files,
      Path tempDir) {}

  /** The first {@code length} bytes of a file (a part being appended to while it is read). */
  private static final class Prefix extends java.io.FilterInputStream {
    private long left;

    Prefix(InputStream in, long length) {
      super(in);
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(count, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }

  private static PbsException notFound(URI uri, ReleaseAsset asset) {
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

  /**
   * Makes the next fetch unpack afresh into {@code dir} ({@code target/pbs/<triple>}): a later step
   * changed the tree in a way this build must undo (a module excluded before is wanted back).
   */
  public static void forgetUnpacked(Path dir) throws IOException {
    Files.deleteIfExists(dir.resolve(UnpackedTree.MARKER));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-256", e);
    }
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }
}
