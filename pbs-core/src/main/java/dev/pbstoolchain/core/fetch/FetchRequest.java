package dev.pbstoolchain.core.fetch;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to fetch and where to put it.
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

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a request; everything but date, version, targets and directories has a default. */
  public static final class Builder {
    private String date;
    private String version;
    private List<String> triples = List.of();
    private String flavor; // null: what the release ships (Flavors.shipped)
    private String mirror;
    private String pinnedSha256;
    private boolean verifyChecksums = true;
    private boolean offline;
    private boolean offlineFallback;
    private boolean unpack = true;
    private Path cacheDir;
    private Path outputDir;
    private HttpSettings http = HttpSettings.defaults();
    private UnpackLimits limits = UnpackLimits.defaults();

    public Builder date(String value) {
      date = value;
      return this;
    }

    public Builder version(String value) {
      version = value;
      return this;
    }

    public Builder triples(List<String> value) {
      triples = value;
      return this;
    }

    public Builder flavor(String value) {
      flavor = value;
      return this;
    }

    public Builder mirror(String value) {
      mirror = value;
      return this;
    }

    public Builder pinnedSha256(String value) {
      pinnedSha256 = value;
      return this;
    }

    public Builder verifyChecksums(boolean value) {
      verifyChecksums = value;
      return this;
    }

    public Builder offline(boolean value) {
      offline = value;
      return this;
    }

    public Builder offlineFallback(boolean value) {
      offlineFallback = value;
      return this;
    }

    public Builder limits(UnpackLimits value) {
      limits = value;
      return this;
    }

    public Builder unpack(boolean value) {
      unpack = value;
      return this;
    }

    public Builder cacheDir(Path value) {
      cacheDir = value;
      return this;
    }

    public Builder outputDir(Path value) {
      outputDir = value;
      return this;
    }

    public Builder http(HttpSettings value) {
      http = value;
      return this;
    }

    public FetchRequest build() {
      return new FetchRequest(
          date,
          version,
          triples,
          flavor,
          mirror,
          pinnedSha256,
          verifyChecksums,
          offline,
          offlineFallback,
          unpack,
          cacheDir,
          outputDir,
          http,
          limits);
    }
  }
}
