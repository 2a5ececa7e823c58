package dev.pbstoolchain.core.fetch;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to fetch and where to put it. A release derives it from the front end's settings ({@code
 * Release.fetchRequest}); the fetch package never reads options itself.
 *
 * @param date PBS release tag ({@code pbs.date})
 * @param version CPython version ({@code pbs.version})
 * @param triples target triples ({@code pbs.targets})
 * @param flavor flavour ({@code pbs.flavor})
 * @param mirror base URL replacing GitHub's releases URL, or {@code null} ({@code pbs.mirror}); a
 *     directory's absolute path, or a file: URL with unencoded characters, becomes its file: URL
 * @param pinnedSha256 expected SHA-256 for a single target, or {@code null} ({@code pbs.sha256})
 * @param verifyChecksums {@code false} only when the user explicitly turned verification off
 * @param offline use the cache only ({@code mvn -o} / {@code pbs.offline})
 * @param offlineFallback when the mirror cannot be reached, use what the cache holds (with a
 *     warning) instead of failing ({@code pbs.offlineFallback})
 * @param unpack whether to unpack into {@code outputDir/<triple>/}
 * @param cacheDir the archive cache
 * @param outputDir where trees are unpacked ({@code target/pbs})
 * @param http network settings
 * @param limits how far an archive may expand ({@code pbs.maxUnpackedSize}, {@code
 *     pbs.maxUnpackedEntries})
 */
public record FetchRequest(
    String date,
    String version,
    List<String> triples,
    String flavor,
    String mirror,
    String pinnedSha256,
    boolean verifyChecksums,
    boolean offline,
    boolean offlineFallback,
    boolean unpack,
    Path cacheDir,
    Path outputDir,
    HttpSettings http,
    UnpackLimits limits) {

  public FetchRequest {
    triples = List.copyOf(triples);
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(limits, "limits");
    mirror = MirrorUrl.normalize(mirror);
    // A file: mirror is local, so `mvn -o` has no reason to refuse it.
    offline = offline && (mirror == null || !mirror.startsWith("file:"));
  }
}
