package dev.pbstoolchain.core.release;

import dev.pbstoolchain.core.FrontEnd;
import dev.pbstoolchain.core.fetch.HttpSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a front end (the Maven goals, {@code pbs-cli}) hands the release core: every option the user
 * set, unresolved. {@link Release#load} resolves it against matrix.yaml once. Unset text options
 * are empty strings, never null.
 *
 * @param frontEnd how messages name options
 * @param projectDir the directory matrix.yaml's relative paths start from
 * @param matrixFile matrix.yaml ({@code pbs.matrix}); may not exist for fetch-only builds
 * @param projectVersion the app version when matrix.yaml's {@code app.version} is empty (the POM's)
 * @param date PBS release tag ({@code pbs.date}), else matrix.yaml's
 * @param version CPython version ({@code pbs.version}), else matrix.yaml's
 * @param targets triples ({@code pbs.targets}); empty for every matrix row, else the build host
 * @param flavor shipped flavour ({@code pbs.flavor}); empty for the release's default
 * @param outputDir where PBS trees are unpacked ({@code target/pbs})
 * @param stageDir where patched binaries are staged ({@code target/pbs-stage})
 * @param distDir where artifacts go ({@code target/pbs-dist})
 * @param cacheDir the archive cache ({@code ~/.m2/repository/.cache/pbs})
 * @param outputTimestamp {@code project.build.outputTimestamp}: ISO-8601 or epoch seconds
 * @param sourceDateEpoch the environment's SOURCE_DATE_EPOCH
 * @param mirror base URL replacing GitHub's ({@code pbs.mirror})
 * @param pinnedSha256 a pinned archive hash ({@code pbs.sha256})
 * @param verifyChecksums false only when the user turned verification off
 * @param offline cache only ({@code mvn -o}, {@code pbs.offline})
 * @param http network settings (timeouts, credentials, proxy)
 * @param offlineFallback use the cache when the mirror cannot be reached ({@code
 *     pbs.offlineFallback})
 * @param maxUnpackedSize how large an archive may unpack ({@code pbs.maxUnpackedSize}, e.g. 2g);
 *     empty for the default
 * @param maxUnpackedEntries how many entries it may have ({@code pbs.maxUnpackedEntries}); empty
 *     for the default
 * @param rpath RUNPATH override for every Linux row ({@code pbs.rpath})
 * @param licencesFlavor the full flavour to read licences from ({@code pbs.licenses.flavor})
 * @param deny SPDX ids that must not ship ({@code pbs.licenses.deny})
 * @param allow SPDX ids that alone may ship ({@code pbs.licenses.allow})
 * @param copyright the Debian copyright file for deb and rpm ({@code pbs.copyright}); may not exist
 * @param maxGlibc the highest glibc the release may need ({@code pbs.maxGlibc})
 * @param smokeSysroots glibc trees for smoke runs under qemu, by CPU ({@code
 *     pbs.smoke.sysroot.aarch64})
 * @param imagePush whether pbs:image pushes to matrix.yaml's {@code image.repository} ({@code
 *     pbs.image.push})
 * @param imageAllowHttp plain HTTP to registries not on this machine ({@code pbs.image.allowHttp})
 * @param imageRevision the source revision the image is annotated with ({@code
 *     pbs.image.revision}); empty for none
 * @param registryLogins registry logins (settings.xml servers whose id is a registry host)
 * @param signing the key that signs packages, SHA256SUMS and repositories, if any
 * @param publish what pbs:publish gathers and where it writes
 */
public record ReleaseSettings(
    FrontEnd frontEnd,
    Path projectDir,
    Path matrixFile,
    String projectVersion,
    String date,
    String version,
    List<String> targets,
    String flavor,
    Path outputDir,
    Path stageDir,
    Path distDir,
    Path cacheDir,
    String outputTimestamp,
    String sourceDateEpoch,
    String mirror,
    String pinnedSha256,
    boolean verifyChecksums,
    boolean offline,
    HttpSettings http,
    boolean offlineFallback,
    String maxUnpackedSize,
    String maxUnpackedEntries,
    String rpath,
    String licencesFlavor,
    Set<String> deny,
    Set<String> allow,
    Path copyright,
    String maxGlibc,
    Map<String, Path> smokeSysroots,
    boolean imagePush,
    boolean imageAllowHttp,
    String imageRevision,
    List<RegistryLogin> registryLogins,
    SigningSettings signing,
    PublishSettings publish) {

  public ReleaseSettings {
    Objects.requireNonNull(frontEnd, "frontEnd");
    Objects.requireNonNull(projectDir, "projectDir");
    Objects.requireNonNull(http, "http");
    targets = List.copyOf(targets);
    deny = Set.copyOf(deny);
    allow = Set.copyOf(allow);
    smokeSysroots = Map.copyOf(smokeSysroots);
    projectVersion = text(projectVersion);
    date = text(date);
    version = text(version);
    flavor = text(flavor);
    outputTimestamp = text(outputTimestamp);
    sourceDateEpoch = text(sourceDateEpoch);
    mirror = text(mirror);
    pinnedSha256 = text(pinnedSha256);
    maxUnpackedSize = text(maxUnpackedSize);
    maxUnpackedEntries = text(maxUnpackedEntries);
    rpath = text(rpath);
    licencesFlavor = text(licencesFlavor);
    maxGlibc = text(maxGlibc).isEmpty() ? DEFAULT_MAX_GLIBC : text(maxGlibc);
    matrixFile = matrixFile != null ? matrixFile : projectDir.resolve("matrix.yaml");
    outputDir = outputDir != null ? outputDir : projectDir.resolve("target/pbs");
    stageDir = stageDir != null ? stageDir : projectDir.resolve("target/pbs-stage");
    distDir = distDir != null ? distDir : projectDir.resolve("target/pbs-dist");
    cacheDir =
        cacheDir != null
            ? cacheDir
            : Path.of(System.getProperty("user.home"), ".m2", "repository", ".cache", "pbs");
    copyright = copyright != null ? copyright : projectDir.resolve("copyright");
    imageRevision = text(imageRevision);
    registryLogins = List.copyOf(registryLogins);
    signing = signing != null ? signing : SigningSettings.NONE;
    publish = publish != null ? publish : PublishSettings.DEFAULTS;
  }

  /** pbs:publish's release directory: {@code pbs.publish.to}, else {@code target/pbs-release}. */
  public Path publishDir() {
    return publish.to() != null ? publish.to() : projectDir.resolve("target/pbs-release");
  }

  /** The directories pbs:publish gathers: {@code pbs.publish.from}, else the dist directory. */
  public List<Path> publishFrom() {
    return publish.from().isEmpty() ? List.of(distDir) : publish.from();
  }

  /**
   * Where deflated file contents are kept between goals and builds (pbs:image splices what
   * pbs:package deflated), keyed by content: under the archive cache, shared by projects.
   */
  public Path bodyCache() {
    return cacheDir.resolve("deflated-bodies");
  }

  /** pbs:verify's default glibc floor: what a release for today's long-term distributions needs. */
  public static final String DEFAULT_MAX_GLIBC = "2.23";

  public static Builder builder(FrontEnd frontEnd, Path projectDir) {
    return new Builder(frontEnd, projectDir);
  }

  private static String text(String value) {
    return value == null ? "" : value.strip();
  }

  /** Collects options; anything not set takes the default a plain {@code mvn package} has. */
  public static final class Builder {
    private final FrontEnd frontEnd;
    private final Path projectDir;
    private Path matrixFile;
    private String projectVersion;
    private String date;
    private String version;
    private List<String> targets = List.of();
    private String flavor;
    private Path outputDir;
    private Path stageDir;
    private Path distDir;
    private Path cacheDir;
    private String outputTimestamp;
    private String sourceDateEpoch = System.getenv("SOURCE_DATE_EPOCH");
    private String mirror;
    private String pinnedSha256;
    private boolean verifyChecksums = true;
    private boolean offline;
    private HttpSettings http = HttpSettings.defaults();
    private boolean offlineFallback;
    private String maxUnpackedSize;
    private String maxUnpackedEntries;
    private String rpath;
    private String licencesFlavor;
    private Set<String> deny = Set.of();
    private Set<String> allow = Set.of();
    private Path copyright;
    private String maxGlibc;
    private final Map<String, Path> smokeSysroots = new java.util.TreeMap<>();
    private boolean imagePush;
    private boolean imageAllowHttp;
    private String imageRevision;
    private List<RegistryLogin> registryLogins = List.of();
    private SigningSettings signing;
    private PublishSettings publish;

    private Builder(FrontEnd frontEnd, Path projectDir) {
      this.frontEnd = frontEnd;
      this.projectDir = projectDir;
    }

    public Builder matrixFile(Path value) {
      matrixFile = value;
      return this;
    }

    public Builder projectVersion(String value) {
      projectVersion = value;
      return this;
    }

    public Builder date(String value) {
      date = value;
      return this;
    }

    public Builder version(String value) {
      version = value;
      return this;
    }

    /** Triples, or a comma-separated list as {@code pbs.targets} gives them. */
    public Builder targets(String commaSeparated) {
      return targets(split(commaSeparated));
    }

    public Builder targets(List<String> value) {
      targets = value.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
      return this;
    }

    public Builder flavor(String value) {
      flavor = value;
      return this;
    }

    public Builder outputDir(Path value) {
      outputDir = value;
      return this;
    }

    public Builder stageDir(Path value) {
      stageDir = value;
      return this;
    }

    public Builder distDir(Path value) {
      distDir = value;
      return this;
    }

    public Builder cacheDir(Path value) {
      cacheDir = value;
      return this;
    }

    public Builder outputTimestamp(String value) {
      outputTimestamp = value;
      return this;
    }

    public Builder sourceDateEpoch(String value) {
      sourceDateEpoch = value;
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

    public Builder http(HttpSettings value) {
      http = value;
      return this;
    }

    public Builder offlineFallback(boolean value) {
      offlineFallback = value;
      return this;
    }

    /** How large an archive may unpack: bytes, or a number with k, m or g. */
    public Builder maxUnpackedSize(String value) {
      maxUnpackedSize = value;
      return this;
    }

    public Builder maxUnpackedEntries(String value) {
      maxUnpackedEntries = value;
      return this;
    }

    public Builder rpath(String value) {
      rpath = value;
      return this;
    }

    public Builder licencesFlavor(String value) {
      licencesFlavor = value;
      return this;
    }

    /** SPDX ids, or a comma-separated list as {@code pbs.licenses.deny} gives them. */
    public Builder deny(String commaSeparated) {
      deny = Set.copyOf(split(commaSeparated));
      return this;
    }

    public Builder allow(String commaSeparated) {
      allow = Set.copyOf(split(commaSeparated));
      return this;
    }

    public Builder copyright(Path value) {
      copyright = value;
      return this;
    }

    public Builder maxGlibc(String value) {
      maxGlibc = value;
      return this;
    }

    /** A glibc tree for {@code cpu}'s smoke runs under qemu ({@code pbs.smoke.sysroot.CPU}). */
    public Builder smokeSysroot(String cpu, Path dir) {
      smokeSysroots.put(cpu, dir);
      return this;
    }

    public Builder imagePush(boolean value) {
      imagePush = value;
      return this;
    }

    public Builder imageAllowHttp(boolean value) {
      imageAllowHttp = value;
      return this;
    }

    public Builder imageRevision(String value) {
      imageRevision = value;
      return this;
    }

    public Builder registryLogins(List<RegistryLogin> value) {
      registryLogins = List.copyOf(value);
      return this;
    }

    public Builder signing(SigningSettings value) {
      signing = value;
      return this;
    }

    public Builder publish(PublishSettings value) {
      publish = value;
      return this;
    }

    public ReleaseSettings build() {
      return new ReleaseSettings(
          frontEnd,
          projectDir,
          matrixFile,
          projectVersion,
          date,
          version,
          targets,
          flavor,
          outputDir,
          stageDir,
          distDir,
          cacheDir,
          outputTimestamp,
          sourceDateEpoch,
          mirror,
          pinnedSha256,
          verifyChecksums,
          offline,
          http,
          offlineFallback,
          maxUnpackedSize,
          maxUnpackedEntries,
          rpath,
          licencesFlavor,
          deny,
          allow,
          copyright,
          maxGlibc,
          smokeSysroots,
          imagePush,
          imageAllowHttp,
          imageRevision,
          registryLogins,
          signing,
          publish);
    }

    private static List<String> split(String commaSeparated) {
      if (commaSeparated == null) {
        return List.of();
      }
      return java.util.Arrays.stream(commaSeparated.split(","))
          .map(String::strip)
          .filter(s -> !s.isEmpty())
          .distinct()
          .toList();
    }
  }
}
